/**
 * Paragraph-level language analysis: sentences, name candidates, pronouns and
 * descriptors. The only module that imports compromise. Everything here depends
 * on the paragraph text alone (so it can be cached) and uses offsets RELATIVE to it.
 *
 * compromise is used for what it is good at, part-of-speech and lexicon tags per
 * term; grouping terms into names, splitting lists, peeling titles and typing
 * organisations, acronyms and seats of power are rules of our own. compromise is
 * only ever handed one bounded sentence at a time (see compromise-notes.md).
 */
import nlp from 'compromise';
import { lookupPlace } from './gazetteer';
import type { DescriptorCandidate, EntityType, NameCandidate, ParagraphNlp, PronounToken, Span } from './types';

// ---------------------------------------------------------------------------
// Word lists (facts about English news style; registered once at load)
// ---------------------------------------------------------------------------

const set = (words: string): Set<string> => new Set(words.split(/[,|]/).map((w) => w.trim()).filter(Boolean));

/** Abbreviated honorifics and ranks, written with or without a period. */
const HONORIFICS = set(
  'mr,mrs,ms,miss,mx,dr,prof,sir,dame,lord,lady,rev,revd,fr,gen,lt,col,maj,capt,cpt,sgt,adm,cmdr,cdr,gov,sen,rep,pres,supt,insp,det,hon,sheikh,sheik,rabbi,imam,ayatollah,msgr,brig,cpl,pvt,amb,atty,sec,secy',
);

/** Words that make a title when written before a name ("Prime Minister", "Foreign Minister"). Heads end a title. */
const TITLE_HEADS = set(
  'president,minister,chancellor,premier,king,queen,prince,princess,emperor,empress,pope,cardinal,bishop,archbishop,mayor,governor,senator,representative,congressman,congresswoman,secretary,ambassador,general,admiral,colonel,captain,lieutenant,sergeant,commander,judge,justice,speaker,chairman,chairwoman,chairperson,coach,director,professor,doctor,officer,detective,inspector,superintendent,leader,marshal,commissioner,sheriff,envoy,sultan,emir,crown prince,patriarch,father,sister,brother,chief,spokesman,spokeswoman,president-elect,dictator,pastor,reverend,deputy,vice-president,sheikh,ayatollah,rabbi,imam,minister-president,prosecutor,attorney,counsel,mufti,grand duke,duke,duchess,count,countess,baron,baroness,earl,viscount,magistrate,constable,trooper,agent,private,corporal,major,ombudsman,delegate,councillor,councilman,councilwoman,alderman,rector,dean,provost,headmaster,principal,chef,striker,goalkeeper,defender,midfielder',
);
/** Words that may stand before a title head inside the title ("Prime", "Foreign", "Vice"). */
const TITLE_MODIFIERS = set(
  'vice,prime,foreign,defense,defence,finance,interior,deputy,chief,crown,supreme,former,acting,first,attorney,home,economy,economic,trade,health,justice,education,energy,agriculture,labor,labour,transport,transportation,environment,culture,sports,oil,information,army,police,fire,party,opposition,state,grand,high,lord,lt,maj,brig,lieutenant,major,rear,field,fleet,senior,junior,assistant,associate,executive,managing,general,national,security,treasury,commerce,industry,immigration,housing,development,foreign affairs,interim,caretaker,de facto,regional,provincial,federal,county,city,district,u.s.,us,european,un,u.n.,nato,nato\'s,white house,pentagon,kremlin,team,club,squad,bishop',
);

/** Lower-case role nouns that announce a person name right after them ("captain Chris Lewis"). */
const ROLE_NOUNS = set(
  'president,minister,captain,coach,manager,striker,midfielder,defender,goalkeeper,keeper,forward,winger,batsman,bowler,spinner,off-spinner,leg-spinner,all-rounder,opener,pitcher,quarterback,driver,rider,champion,seed,player,spokesman,spokeswoman,spokesperson,chairman,chairwoman,chief,director,executive,analyst,economist,official,lawyer,attorney,judge,leader,secretary,ambassador,envoy,general,commander,senator,governor,mayor,candidate,rival,opponent,teammate,partner,compatriot,countryman,son,daughter,wife,husband,brother,sister,father,mother,singer,actor,actress,writer,author,novelist,artist,journalist,correspondent,editor,professor,researcher,scientist,doctor,engineer,activist,protester,dissident,boss,owner,founder,premier,chancellor,king,queen,prince,pope,trainer,jockey,golfer,cyclist,skipper,substitute,international,veteran,youngster,newcomer,holder,winner,defeated,beat,discard,colleague,deputy,aide,adviser,advisor,strategist,pollster,presenter,host,anchor,reporter,photographer,filmmaker,director,producer,designer,architect,businessman,businesswoman,entrepreneur,investor,billionaire,tycoon,magnate,banker,broker,trader,dealer,consultant,spokesperson,cleric,priest,pastor,bishop,rabbi,imam,sheikh,cardinal,monk,nun,prosecutor,investigator,detective,inspector,officer,soldier,sergeant,lieutenant,colonel,marshal,commissioner,secretary-general,president-elect,challenger,incumbent,nominee,lawmaker,legislator,congressman,congresswoman,representative,delegate,negotiator,mediator,diplomat,poet,composer,conductor,pianist,violinist,guitarist,drummer,rapper,comedian,dancer,model,athlete,runner,sprinter,swimmer,boxer,wrestler,fighter,skier,skater,gymnast,tennis,star,midfield,centre-back,fullback,full-back,hooker,flanker,fly-half,scrum-half,lock,prop,wicketkeeper,wicket-keeper,paceman,seamer,fielder,shortstop,catcher,outfielder,infielder,pitcher,closer,reliever,slugger,rookie,guard,center,centre,tackle,linebacker,cornerback,safety,receiver,running back,teenager,grandmaster,challenger,victim,suspect,defendant,plaintiff,witness,widow,resident,citizen,patient,student,teacher,farmer,worker,miner,nurse',
);

/** Last words that make a capitalised sequence an organisation. */
const ORG_HEADS = set(
  'ministry,party,union,unions,council,university,college,institute,institution,school,academy,corp,corporation,inc,co,ltd,plc,llc,llp,ag,gmbh,sa,nv,bv,spa,group,bank,agency,commission,committee,court,parliament,assembly,congress,senate,army,navy,police,forces,force,guard,guards,department,office,bureau,service,services,foundation,association,federation,league,club,board,authority,organization,organisation,company,companies,holdings,airlines,airline,airways,motors,times,post,news,journal,herald,gazette,tribune,telegraph,guardian,chronicle,press,network,television,tv,radio,broadcasting,fund,trust,exchange,church,front,movement,alliance,coalition,brigade,brigades,battalion,regiment,division,fleet,cabinet,government,administration,secretariat,tribunal,reserve,chamber,society,team,united,rovers,wanderers,athletic,albion,hotspur,rangers,celtic,fc,afc,cf,sc,ac,bancorp,bancshares,industries,international,technologies,technology,systems,communications,telecom,energy,petroleum,oil,gas,steel,mining,pharmaceuticals,partners,capital,securities,investments,insurance,financial,entertainment,media,publishing,studios,records,labs,laboratories,hospital,clinic,museum,library,orchestra,ballet,opera,theatre,theater,commerce,conference,convention,caucus,directorate,inspectorate,ministries,junta,politburo,presidium,duma,knesset,bundestag,bundesrat,majlis,sejm,storting,riksdag,diet,legislature,cortes,secretariat,command,corps,agencies,council\'s,mission,observatory,centre,center,trade,tribe,clan,cartel,syndicate,mafia',
);
/** First words that make "X of Y" an organisation ("Bank of England", "University of Michigan"). */
const ORG_OF = set(
  'bank,university,ministry,department,church,house,council,court,chamber,board,bureau,office,academy,institute,college,school,federation,association,league,union,organization,organisation,party,museum,society,commission,committee,federal reserve bank,order,knights,sisters,daughters,sons,friends,army,people\'s bank',
);
/** Last words that make a capitalised sequence a place. */
const PLACE_HEADS = set(
  'street,road,avenue,ave,boulevard,blvd,square,lane,drive,river,lake,mountain,mountains,mount,island,islands,isles,isle,bay,sea,ocean,gulf,strait,straits,channel,valley,desert,peninsula,coast,canal,province,region,county,district,republic,kingdom,emirates,states,heights,hills,hill,park,airport,station,bridge,plaza,gate,beach,falls,highlands,basin,delta,territory,territories,oblast,krai,prefecture,township,village,town,city,stadium,arena,oval,ground,field,park,circuit,raceway,cathedral,palace,mosque,temple,tower,peak,glacier,forest,harbour,harbor,port,border,crossing,camp,prison,base',
);
/** First words that make a sequence a place ("Mount Everest", "Lake Geneva", "Gulf of Mexico"). */
const PLACE_FIRST = set('mount,mt,lake,port,fort,cape,gulf,bay,sea,isle,strait,republic,kingdom,state,province,city,north,south,east,west,upper,lower,greater,new,san,santa,st,saint,los,las,el');
/** Capitalised words that never start or make a name on their own. */
const NOT_NAMES = set(
  'i,i\'m,i\'ve,i\'d,i\'ll,men,women,boys,girls,monday,tuesday,wednesday,thursday,friday,saturday,sunday,january,february,march,april,may,june,july,august,september,october,november,december,jan,feb,mar,apr,jun,jul,aug,sep,sept,oct,nov,dec,mon,tue,tues,wed,thu,thur,thurs,fri,sat,sun,god,ok,okay,tv,am,pm,a.m.,p.m.,no,mr,mrs,ms,dr,prof,sir,oh,yes,internet,web,gmt,est,edt,pst,pdt,cet,bst,utc,a,an,the,this,that,these,those,it,he,she,we,they,you,his,her,their,our,its,my,your,but,and,or,if,when,while,after,before,as,at,in,on,of,for,with,by,from,to,under,over,into,onto,about,against,between,during,since,until,without,within,so,yet,then,there,here,now,also,still,even,just,only,not,all,some,many,most,more,few,other,another,each,every,both,either,neither,one,two,three,four,five,six,seven,eight,nine,ten,said,says,say,according,however,meanwhile,moreover,instead,although,though,because,why,what,who,whom,whose,which,where,how,well,source,link,check,also,read,more,related,share,advertisement,photo,video,click,subscribe,follow,copyright,attendance,scorers,scorer,postponed,standings,halftime,referee,result,results,note,teams,lineups,euro,euros',
);

/** Nationalities, demonyms and group adjectives: never entities on their own (facts of English usage). */
const DEMONYMS = set(
  'american,americans,british,briton,britons,english,scottish,scot,scots,welsh,irish,french,german,germans,italian,italians,spanish,spaniard,spaniards,portuguese,dutch,belgian,belgians,swiss,austrian,austrians,swedish,swede,swedes,norwegian,norwegians,danish,dane,danes,finnish,finn,finns,icelandic,russian,russians,belarusian,belarusians,belorussian,ukrainian,ukrainians,polish,pole,poles,czech,czechs,slovak,slovaks,hungarian,hungarians,romanian,romanians,bulgarian,bulgarians,serbian,serb,serbs,croatian,croat,croats,bosnian,bosnians,slovenian,slovene,slovenes,albanian,albanians,macedonian,macedonians,greek,greeks,turkish,turk,turks,cypriot,cypriots,georgian,georgians,armenian,armenians,azerbaijani,azerbaijanis,azeri,azeris,kazakh,kazakhs,uzbek,uzbeks,tajik,tajiks,kyrgyz,turkmen,mongolian,mongolians,chinese,japanese,korean,koreans,vietnamese,thai,thais,cambodian,cambodians,laotian,burmese,malaysian,malaysians,indonesian,indonesians,filipino,filipinos,philippine,singaporean,indian,indians,pakistani,pakistanis,bangladeshi,bangladeshis,afghan,afghans,iranian,iranians,iraqi,iraqis,syrian,syrians,lebanese,israeli,israelis,palestinian,palestinians,jordanian,jordanians,saudi,saudis,yemeni,yemenis,emirati,emiratis,qatari,qataris,kuwaiti,kuwaitis,omani,egyptian,egyptians,libyan,libyans,tunisian,tunisians,algerian,algerians,moroccan,moroccans,sudanese,ethiopian,ethiopians,eritrean,somali,somalis,kenyan,kenyans,ugandan,ugandans,tanzanian,rwandan,rwandans,congolese,nigerian,nigerians,ghanaian,ghanaians,senegalese,ivorian,cameroonian,angolan,zambian,zimbabwean,zimbabweans,mozambican,namibian,south african,south africans,canadian,canadians,mexican,mexicans,cuban,cubans,haitian,haitians,jamaican,jamaicans,brazilian,brazilians,argentine,argentines,argentinian,argentinians,chilean,chileans,peruvian,peruvians,colombian,colombians,venezuelan,venezuelans,ecuadorean,ecuadorian,bolivian,paraguayan,uruguayan,australian,australians,new zealander,new zealanders,kiwi,kiwis,estonian,estonians,latvian,latvians,lithuanian,lithuanians,moldovan,moldovans,chechen,chechens,kurdish,kurd,kurds,arab,arabs,arabic,persian,european,europeans,asian,asians,african,africans,latin,latino,latinos,hispanic,hispanics,western,westerners,eastern,northern,southern,soviet,soviets,nordic,scandinavian,baltic,balkan,slavic,caucasian,islamic,islamist,islamists,muslim,muslims,moslem,moslems,christian,christians,jewish,jew,jews,catholic,catholics,protestant,protestants,orthodox,sunni,sunnis,shiite,shiites,shia,hindu,hindus,sikh,sikhs,buddhist,buddhists,communist,communists,socialist,socialists,republican,republicans,democrat,democrats,democratic,conservative,conservatives,liberal,liberals,marxist,maoist,bolshevik,nazi,nazis,fascist,zionist,olympic,olympics,celsius,fahrenheit',
);

/** Last words of event and document names: not people, places or organisations. */
const EVENT_HEADS = set(
  'cup,open,prix,final,finals,semifinal,semifinals,war,wars,games,olympics,championship,championships,tournament,trophy,festival,prize,award,awards,series,classic,masters,rally,marathon,derby,stakes,revolution,rising,uprising,crisis,accord,accords,treaty,agreement,act,plan,index,day,week,year,era,summit,conference,talks,doctrine,protocol,convention,declaration,bill,law,amendment,program,programme,initiative,strategy,award,medal,race,tour,grand slam,bowl,league table,ratings,survey,report,list,charter,constitution,pact,process,fair,expo,show,exhibition,ceremony,election,elections,referendum,primary,primaries,caucuses',
);

/** Seats of power that stand for a government or institution (metonymy). */
const SEATS = set(
  'kremlin,white house,pentagon,downing street,capitol hill,whitehall,elysee,elysee palace,quai d\'orsay,foggy bottom,zhongnanhai,blue house,vatican,holy see,number 10,no 10,state department,foreign office,home office,west wing,oval office,fleet street,westminster,bundeskanzleramt,chigi palace,palazzo chigi,la moncloa,casa rosada,planalto,itamaraty,the hague',
);
/** Well-known organisations written without a head word (news agencies and broadcasters). */
const ORG_NAMES = set('reuters,associated press,agence france-presse,bloomberg,interfax,xinhua,tass,itar-tass,ria novosti,kyodo,yonhap,anadolu,bernama,antara,al jazeera,fox news,sky news,euronews,gazprom,rosneft,aeroflot,hezbollah,hizbollah,hamas,taliban,al qaeda,al-qaeda,fatah,likud,labour,interpol,europol,opec,greenpeace,amnesty international,human rights watch,wikileaks,google,facebook,twitter,amazon,apple,microsoft');

/** Abbreviations of common nouns and statistics, never names ("three RBI", "GDP", "AIDS"). */
const COMMON_ABBREVIATIONS = set('rbi,rbis,era,gdp,gnp,cpi,ppi,pmi,aids,hiv,dna,rna,ceo,cfo,coo,cto,ipo,ipos,eps,nav,vat,atm,suv,pc,pcs,cd,cds,dvd,gmt,utc,isdn,cusip,mph,kph,rpm,hp,bhp,lbw,rpg,ppg,mvp,ko,tko,faq,asap,diy,ufo,vip,vips,ok,tv,am,pm,bc,ad,pr,hr,it,id,q1,q2,q3,q4');

/** Place acronyms (typed place, not organisation). */
const PLACE_ACRONYMS = set('us,usa,uk,uae,dc,la,ny,nyc,ussr,drc,prc,gb,sf');

/** Speech verbs: a capitalised sequence right before or after one is a speaker. */
const SPEECH = set('said,says,say,told,tells,added,adds,asked,asks,stated,states,declared,announced,announces,wrote,writes,argued,argues,insisted,explained,noted,warned,claimed,claims,replied,recalled,confirmed,denied,admitted,acknowledged,predicted,suggested,urged');

/** Given names compromise does not know, common in international news. */
const EXTRA_GIVEN_NAMES: [string, 'MaleName' | 'FemaleName'][] = (
  'vitaly,vitali,aleksandr,alexandr,aleksei,alexei,alexey,sergei,sergey,dmitri,dmitry,vladimir,vladislav,yevgeny,evgeny,mikhail,nikolai,nikolay,andrei,andrey,pavel,yuri,yury,oleg,igor,boris,viktor,valery,valeri,gennady,anatoly,grigory,kirill,maxim,ivan,pyotr,fyodor,stanislav,vyacheslav,arkady,leonid,ruslan,ramzan,vitold,ales,siarhei,viktar,uladzimir,volodymyr,petro,oleksandr,oleksiy,mykola,taras,bogdan,zbigniew,jaroslaw,mateusz,wojciech,tomasz,krzysztof,lech,vaclav,milos,slobodan,radovan,ratko,franjo,alija,recep,ahmet,mehmet,mustafa,tayyip,binali,abdullah,abdel,abdul,mahmoud,mohammed,mohamed,muhammad,hosni,hassan,hussein,bashar,hafez,ali,omar,khalid,yasser,benjamin,ehud,yitzhak,shimon,ariel,naftali,yair,narendra,rahul,manmohan,atal,nawaz,imran,shinzo,yoshihide,fumio,junichiro,xi,hu,jiang,wen,li,deng,kim,moon,park,jacinda,recep,jair,luiz,inacio,cristina,nestor,evo,hugo,nicolas,fidel,raul,daniel,andres,manuel,felipe,enrique,vicente,ernesto,kofi,ban,antonio,jens,ursula,angela,olaf,emmanuel,francois,jacques,nicolas,silvio,matteo,giuseppe,mario,pedro,mariano,jose,sebastian,viktor,andrzej,alexis,kyriakos,tsai,jiechi,wang,svetlana,sviatlana,tikhanovskaya,maria,kolesnikova,veronika,valentina,tatiana,tatyana,yulia,natalia,natalya,olga,irina,elena,yelena,ekaterina,yekaterina,anastasia,ksenia,lyudmila,galina,nadezhda,marina,oksana'
)
  .split(',')
  .map((w): [string, 'MaleName' | 'FemaleName'] => [w, /a$/.test(w) && !/^(nikita|luca|ilya|kosta)$/.test(w) ? 'FemaleName' : 'MaleName']);

let registered = false;
function register(): void {
  if (registered) return;
  registered = true;
  const words: Record<string, string> = {};
  for (const [w, tag] of EXTRA_GIVEN_NAMES) words[w] = tag;
  for (const w of ['kremlin', 'pentagon']) words[w] = 'Organization';
  nlp.plugin({ words });
}
register();

// ---------------------------------------------------------------------------
// Sentences
// ---------------------------------------------------------------------------

const MAX_PIECE = 1000;
const SENT_ABBREV = set('mr,mrs,ms,dr,prof,st,gen,sen,rep,gov,lt,col,capt,sgt,maj,adm,rev,jr,sr,inc,corp,co,ltd,no,nos,vs,v,cf,fig,approx,est,dept,univ,assn,bros,mt,ft,ave,blvd,rd,sq,jan,feb,mar,apr,jun,jul,aug,sep,sept,oct,nov,dec,brig,cmdr,supt,insp,det,hon,msgr,pvt,cpl,amb,atty,etc,e.g,i.e,u.s,u.k,u.n,e.u,d.c');

const isUpper = (c: string): boolean => c !== c.toLowerCase() && c === c.toUpperCase();
const isLower = (c: string): boolean => c !== c.toUpperCase() && c === c.toLowerCase();
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\u00a0' || c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/** Split a paragraph into sentences (relative spans), never longer than MAX_PIECE. */
export function splitSentences(text: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const n = text.length;
  const push = (end: number) => {
    let s = start;
    while (s < end && isSpace(text[s])) s++;
    let e = end;
    while (e > s && isSpace(text[e - 1])) e--;
    if (e > s) pushBounded(text, s, e, out);
    start = end;
  };
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') {
      push(i);
      continue;
    }
    if (c !== '.' && c !== '!' && c !== '?' && c !== '…') continue;
    let j = i + 1;
    while (j < n && '.!?…"”’\')]»'.includes(text[j])) j++;
    if (j < n && !isSpace(text[j])) {
      i = j - 1;
      continue;
    }
    let k = j;
    while (k < n && isSpace(text[k])) k++;
    if (k >= n) break;
    const next = text[k];
    if (isLower(next) || next === ',' || next === ';') {
      i = j - 1;
      continue;
    }
    if (c === '.' && j === i + 1) {
      // the word before the period
      let w = i;
      while (w > start && !isSpace(text[w - 1]) && !'"“(‘\''.includes(text[w - 1])) w--;
      const word = text.slice(w, i).toLowerCase();
      if (/^\p{L}$/u.test(word) || SENT_ABBREV.has(word) || /^(\p{L}\.)+\p{L}$/u.test(word)) {
        i = j - 1;
        continue;
      }
    }
    push(j);
    i = j - 1;
  }
  push(n);
  return out;
}

function pushBounded(text: string, s: number, e: number, out: Span[]): void {
  while (e - s > MAX_PIECE) {
    let cut = s + MAX_PIECE;
    for (let i = cut; i > s + MAX_PIECE / 2; i--) {
      if (isSpace(text[i - 1])) {
        cut = i;
        break;
      }
    }
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut--;
    let ce = cut;
    while (ce > s && isSpace(text[ce - 1])) ce--;
    if (ce > s) out.push({ start: s, end: ce });
    s = cut;
    while (s < e && isSpace(text[s])) s++;
  }
  if (e > s) out.push({ start: s, end: e });
}

// ---------------------------------------------------------------------------
// Tokens from compromise (term level, own offsets)
// ---------------------------------------------------------------------------

interface Tok {
  text: string;
  start: number;
  end: number;
  /** characters between this token and the next */
  post: string;
  pre: string;
  tags: Set<string>;
  lower: string;
  /** first token of a sentence or right after an opening quote, colon or dash */
  initial: boolean;
  sentence: number;
  next?: Tok;
}

interface Term {
  text: string;
  pre: string;
  post: string;
  tags: Set<string>;
}

function tokensOf(text: string, sentences: Span[], allCaps: boolean): Tok[] {
  const toks: Tok[] = [];
  const source = allCaps ? recase(text) : text;
  sentences.forEach((s, si) => {
    const piece = source.slice(s.start, s.end);
    if (!/\p{L}/u.test(piece)) return;
    let doc: { document: Term[][] };
    try {
      doc = nlp(piece) as unknown as { document: Term[][] };
    } catch {
      return;
    }
    let cursor = 0;
    let first = true;
    for (const sent of doc.document) {
      for (const term of sent) {
        const t = term.text;
        if (!t) continue;
        const at = piece.indexOf(t, cursor);
        if (at < 0 || at - cursor > 200) continue;
        const prev = toks.length && toks[toks.length - 1].sentence === si ? toks[toks.length - 1] : undefined;
        const preText = piece.slice(cursor, at);
        const initial = first || !prev || /["“‘(:—–]\s*$/.test(preText) || /["“‘(:—–]\s*$/.test(prev.post);
        const start = s.start + at;
        toks.push({
          text: text.slice(start, start + t.length),
          start,
          end: start + t.length,
          pre: preText,
          post: '',
          tags: term.tags instanceof Set ? term.tags : new Set(),
          lower: t.toLowerCase(),
          initial,
          sentence: si,
        });
        if (prev) {
          prev.post = preText;
          prev.next = toks[toks.length - 1];
        }
        cursor = at + t.length;
        first = false;
      }
    }
    if (toks.length && toks[toks.length - 1].sentence === si) toks[toks.length - 1].post = piece.slice(cursor);
  });
  return toks;
}

/** "LEICESTERSHIRE TAKE OVER" → "Leicestershire Take Over" (same length; dotted acronyms kept). */
function recase(text: string): string {
  return text.replace(/[\p{L}'’.-]+/gu, (w) => {
    if (w.includes('.') || w.length < 2) return w;
    let out = w[0];
    for (let i = 1; i < w.length; i++) {
      const l = w[i].toLowerCase();
      out += l.length === 1 ? l : w[i];
    }
    return out;
  });
}

// ---------------------------------------------------------------------------
// Name candidates
// ---------------------------------------------------------------------------

const CONNECTORS = set('de,da,di,du,del,della,der,den,van,von,ter,ten,le,la,al,el,bin,ibn,bint,abu,dos,das,y,zu,st,mac');
const PROPER_TAGS = ['Person', 'Place', 'Organization', 'FirstName', 'LastName', 'Country', 'City', 'Region', 'Honorific', 'MaleName', 'FemaleName'];

function bare(tok: Tok): string {
  return tok.lower.replace(/[’']s$/, '').replace(/\.$/, '');
}

function startsUpper(t: string): boolean {
  const c = t[0];
  return c !== undefined && isUpper(c);
}

function isAcronym(t: string): boolean {
  return /^(?:\p{Lu}\.){2,5}$/u.test(t) || /^(?:\p{Lu}\.)+\p{Lu}$/u.test(t) || (/^\p{Lu}{2,6}$/u.test(t) && !/^(?:I|II|III|IV|VI|VII|VIII|IX|XI|XII|OK|TV|AM|PM)$/.test(t));
}

function isInitial(tok: Tok): boolean {
  return /^\p{Lu}$/u.test(tok.text) && tok.post.startsWith('.');
}

/** Is this token part of a proper name in its context? */
function namey(tok: Tok, headline: boolean, table = false): boolean {
  if (!startsUpper(tok.text)) return false;
  const key = bare(tok);
  if (HONORIFICS.has(key) && tok.post.startsWith('.')) return true;
  if (/^\p{Lu}$/u.test(tok.text) && tok.post.startsWith('.')) return true;
  if (NOT_NAMES.has(key) && !(tok.tags.has('Person') && !tok.tags.has('Pronoun') && key !== 'i' && key.length > 2 && !tok.tags.has('Date'))) return false;
  if (tok.tags.has('Date') || tok.tags.has('Month') || tok.tags.has('WeekDay')) return false;
  if (tok.tags.has('Pronoun')) return false;
  if (/^\p{Lu}$/u.test(tok.text)) return tok.post.startsWith('.') || !tok.initial;
  const proper = PROPER_TAGS.some((t) => tok.tags.has(t)) || tok.tags.has('ProperNoun') || tok.tags.has('Acronym');
  if (headline) {
    if (!proper && ![...tok.tags].every((g) => g === 'Noun' || g === 'Singular')) return false;
    return !(tok.tags.has('Verb') || tok.tags.has('Preposition') || tok.tags.has('Conjunction') || tok.tags.has('Determiner') || tok.tags.has('Adverb'));
  }
  if (tok.initial) {
    // "News Corp said": a sentence-initial word before a company's legal form is part of its name
    if (tok.next && joins(tok, tok.next) && startsUpper(tok.next.text) && LEGAL_FORMS.has(bare(tok.next))) return true;
    if (tok.next && SPEECH.has(tok.next.lower) && (!tok.tags.has('Plural') || tok.next.next?.lower === 'it') && [...tok.tags].every((g) => g === 'Noun' || g === 'Singular' || g === 'ProperNoun')) return true;
    if (TITLE_HEADS.has(key) || TITLE_MODIFIERS.has(key)) return true;
    if (lookupPlace(tok.text)) return true;
    if (!proper && unknownInitialName(tok)) return true;
    // "Wigan 4 3 1 0 9 4 10": the first word of a line of results
    if (table && tableLead(tok, key)) return true;
    // "Reuters has not verified...": a well-known organisation opening a sentence
    if (ORG_NAMES.has(key) || INSTITUTIONS.has(key)) return true;
    return proper && !tok.tags.has('Verb') && !tok.tags.has('Adverb') && !tok.tags.has('Preposition') && !tok.tags.has('Conjunction') && !tok.tags.has('Determiner');
  }
  return true;
}

/**
 * "Wigan 4 3 1 0 9 4 10", "Port Vale 2 Oxford 0", "Benetton (Italy) 92": the first word of a line of
 * results or standings, alone or followed by up to three capitalised words, then a number or a bracket.
 */
function tableLead(tok: Tok, key: string): boolean {
  if (ORDINALS.has(key) || tok.tags.has('Preposition') || tok.tags.has('Determiner') || tok.tags.has('Pronoun')) return false;
  if (tok.tags.has('Verb') && knownCommon(key)) return false;
  let t = tok;
  for (let k = 0; k < 4 && t.next; k++) {
    if (/^[\d(]/.test(t.post.trim() + t.next.text)) return true;
    if (!joins(t, t.next) || !startsUpper(t.next.text)) return false;
    t = t.next;
  }
  return false;
}

const COMMON_SUFFIX = /(?:ment|tion|sion|ness|ity|ies|ship|ance|ence|ing|ers|ism|ist|ure|age|ery|ory|ful|less|ous|ive|able|ible|al|ed|ly|es)$/;

/** "Ludmila Engquist (Sweden)": a sentence-initial word compromise does not know, before a proper noun. */
function unknownInitialName(tok: Tok): boolean {
  const next = tok.next;
  if (!next || !joins(tok, next) || !startsUpper(next.text) || !next.tags.has('ProperNoun')) return false;
  if (tok.tags.size !== 2 || !tok.tags.has('Noun') || !tok.tags.has('Singular')) return false;
  const key = bare(tok);
  const nk = bare(next);
  if (key.length < 3 || COMMON_SUFFIX.test(key) || /^\p{Lu}+$/u.test(tok.text)) return false;
  for (const list of [TITLE_HEADS, TITLE_MODIFIERS, ORG_HEADS, PLACE_HEADS, EVENT_HEADS, DEMONYMS, NOT_NAMES, PLACE_FIRST]) if (list.has(key)) return false;
  for (const list of [TITLE_HEADS, PLACE_HEADS, EVENT_HEADS]) if (list.has(nk)) return false;
  return true;
}

/** Lower-case nouns that announce an organisation's name right after them. */
const ORG_NOUNS = set('company,firm,group,carrier,airline,bank,insurer,retailer,distributor,publisher,maker,manufacturer,producer,supplier,operator,developer,conglomerate,newspaper,daily,weekly,magazine,agency,broadcaster,network,chain,brewer,miner,refiner,utility,lender,consortium,subsidiary,automaker,carmaker,drugmaker,chipmaker,club,outfit,franchise,exchange,watchdog,regulator,tabloid,paper,station,channel,label,studio,startup,bancorp,holding,trust,fund,firms,companies,groups,banks,clubs');

/** Institutions named by one capitalised word. */
const INSTITUTIONS = set('congress,senate,parliament,treasury,cabinet,commonwealth,politburo,knesset,duma,bundestag,bundesbank,interpol,europol,nato,opec');
/** First words of club and company names ("Air France", "Radio Liberty", "Dynamo Kiev"). */
const ORG_FIRST = set('air,radio,banco,banca,banque,dynamo,dinamo,sporting,atletico,olympique,racing,fc,ac,sc,as,sk,vfl,vfb,tsv,fk,nk,ofk,cska,spartak,lokomotiv,torpedo,real,inter');

const CITY_STOP = set('union,central,independence,eagle,bath,sale,hope,liberty,victory,unity,progress,commerce,industry,enterprise,justice,mission,deal,college,university,gates,colon,concord,temple,garden,pride,mercedes,ciudad,florida,columbia,ontario,santa,boulder,lafayette,orange,bristol,nelson,chester,stafford,ashford,marion,douglas,warren,franklin,clinton,jackson,lincoln,washington,madison,jefferson,hamilton,wilson,taylor,carson,lawrence,burlington,kent,norman,vernon');

/** A city name from the big gazetteer only when the words are not a person's name or common English. */
function plausibleCity(toks: Tok[]): boolean {
  const personal = toks.some((t) => (t.tags.has('Person') || t.tags.has('FirstName') || t.tags.has('LastName') || t.tags.has('MaleName') || t.tags.has('FemaleName')) && !t.tags.has('City') && !t.tags.has('Place') && !t.tags.has('Region'));
  if (personal) return false;
  if (toks.length > 1) return true;
  const k = bare(toks[0]);
  if (k.length < 3 || CITY_STOP.has(k)) return false;
  const lex = lexicon()[k];
  if (lex === undefined) return true;
  const tags = Array.isArray(lex) ? lex : [lex];
  return tags.some((g) => g === 'City' || g === 'Country' || g === 'Region' || g === 'Place' || g === 'ProperNoun');
}

let lexiconCache: Record<string, string | string[]> | undefined;
function lexicon(): Record<string, string | string[]> {
  if (!lexiconCache) {
    try {
      lexiconCache = ((nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }).model().one.lexicon) ?? {};
    } catch {
      lexiconCache = {};
    }
  }
  return lexiconCache;
}

function commonWord(t: Tok): boolean {
  if (PROPER_TAGS.some((g) => t.tags.has(g)) || t.tags.has('Acronym')) return false;
  return ['Verb', 'Adjective', 'Preposition', 'Determiner', 'Adverb', 'Conjunction', 'Pronoun', 'Plural', 'Uncountable'].some((g) => t.tags.has(g));
}

/** Does the run continue from a to b (nothing but a space between them)? */
function joins(a: Tok, b: Tok): boolean {
  if (a.sentence !== b.sentence) return false;
  const p = a.post;
  if (p === ' ' || p === '\u00a0') return true;
  if (p === '. ' && (isInitial(a) || (HONORIFICS.has(bare(a)) && !a.text.includes('.')) || /^(?:st|mt|ft|jr|sr|co|inc|corp|bros|gen|lt|col|maj|capt|sgt|adm|gov|sen|rep|brig)$/.test(a.lower))) return true;
  if (p === '-' || p === '&' || p === ' & ') return true;
  if (p === '.' && a.text.length === 1) return true;
  return false;
}

interface Run {
  toks: Tok[];
}

function runs(toks: Tok[], headline: boolean, table = false): Run[] {
  const out: Run[] = [];
  let cur: Tok[] = [];
  /** a possessive token the name goes on through ("Farmers' Bancshares Inc.") */
  let keepThrough: Tok | undefined;
  const flush = () => {
    if (cur.length) out.push({ toks: cur });
    cur = [];
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    const ok = namey(t, headline, table) || (cur.length > 0 && t.lower === '&');
    if (ok) {
      if (cur.length && !joins(cur[cur.length - 1], t) && !(keepThrough === cur[cur.length - 1] && t.sentence === keepThrough.sentence)) flush();
      cur.push(t);
      if (/[’']s$/i.test(t.text) || (/s$/.test(t.text) && /^[’']/.test(t.post))) {
        if (possessiveInName(cur, toks, i, headline)) keepThrough = t;
        else flush();
      }
      continue;
    }
    // connectors inside a name: "Charles de Gaulle", "Bashar al-Assad", "Bank of England"
    if (cur.length && i + 1 < toks.length && joins(cur[cur.length - 1], t) && joins(t, toks[i + 1]) && namey(toks[i + 1], headline)) {
      const key = t.lower;
      const head = bare(cur[cur.length - 1]);
      const firstKey = bare(cur[0]);
      if (CONNECTORS.has(key) && !headline) {
        cur.push(t);
        continue;
      }
      // "Organisation for Security and Cooperation in Europe", "Commission on Presidential Debates",
      // "Gold Fields of South Africa Ltd", "Test and County Cricket Board": institutional names with connectors
      if (!headline && orgConnector(cur, t, toks, i, headline)) {
        cur.push(t);
        continue;
      }
      if (key === 'of' && cur.length <= 3 && (ORG_OF.has(head) || ORG_OF.has(firstKey) || (PLACE_FIRST.has(head) && cur.length === 1 && /^(gulf|bay|sea|isle|strait|republic|kingdom|state|province|city|cape)$/.test(head)) || /^(university|bank|ministry|department)$/.test(head))) {
        cur.push(t);
        continue;
      }
      if ((key === 'and' || key === 'of' || key === 'the') && lookupPlace(cur.map((x) => x.text).join(' ') + ' ' + t.text + ' ' + toks[i + 1].text)) {
        cur.push(t);
        continue;
      }
    }
    // a lower-case connector opening a name: "al-Assad"
    if (!cur.length && (t.lower === 'al' || t.lower === 'el') && t.post === '-' && i + 1 < toks.length && startsUpper(toks[i + 1].text)) {
      cur.push(t);
      continue;
    }
    flush();
  }
  flush();
  return out;
}

/** "Boatmen's Bancshares Inc.", "Toronto Bond Traders' Association": a possessive inside a company or body name. */
function possessiveInName(cur: Tok[], toks: Tok[], i: number, headline: boolean): boolean {
  if (headline || cur.length > 3 || i + 1 >= toks.length) return false;
  const t = toks[i];
  const gap = /[’']s$/i.test(t.text) ? t.post : t.post.slice(1);
  if (gap !== ' ') return false;
  if (cur.some((x) => ['Person', 'FirstName', 'LastName', 'MaleName', 'FemaleName', 'Place', 'Country', 'City', 'Region', 'Honorific'].some((g) => x.tags.has(g)))) return false;
  const owner = cur.map((x) => x.text).join(' ').replace(/[’']s?$/, '');
  if (lookupPlace(owner) || ORG_HEADS.has(bare(cur[cur.length - 1])) || DEMONYMS.has(owner.toLowerCase()) || isAcronym(owner)) return false;
  let j = i + 1;
  let n = 0;
  while (j < toks.length && n < 4 && namey(toks[j], headline) && (n === 0 || joins(toks[j - 1], toks[j]))) {
    n++;
    j++;
  }
  if (!n) return false;
  const last = bare(toks[j - 1]);
  return LEGAL_FORMS.has(last) || AND_HEADS.has(last) || /^(?:bancshares|bancorp|bank|banks|restaurants|stores|holdings|industries)$/.test(last);
}

/** What follows only a company's or a body's name. */
const ORG_AFTER = /^(?:[’']s?)?\s+(?:shares|stock|shareholders|stockholders|subsidiary|board of directors|chief executive|chief financial officer|chairman|chairwoman)\b|^[’']s?\s+(?:unit|board|executives|net profit|profits?|earnings|revenues?|sales)\b|^\s+said it (?:would|will|had|has|was|is|expects|plans)\b|^ (?:shares|stock) (?:rose|fell|closed|gained|lost|jumped|dropped|were|was)\b/;
/** What precedes only a company's or a body's name. */
const ORG_BEFORE = /\b(?:shares (?:in|of)|stake in|acquisition of|takeover of|takeover bid for|merger with|analysts? (?:at|with)|economists? (?:at|with)|strategists? (?:at|with)|subsidiary of|unit of|shareholders? (?:in|of)|(?:chief executive|chairman|president) of)\s+$/;
/** What follows a company's name in business news ("said in a statement", "said on Friday it", "was up 1/8"). */
const COMPANY_AFTER = /^(?:[’']s?)? (?:shares?|stock|share price|stockholders|shareholders) |^,? (?:said|says) (?:on \p{Lu}\p{Ll}+ |late \p{Lu}\p{Ll}+ |today |yesterday )?(?:that )?it (?:would|will|had|has|was|is|plans|expects|agreed|intends|won|made|reported|posted|sold|bought)\b|^ (?:was|were|closed|ended|finished|traded) (?:up|down|unchanged|flat|higher|lower) (?:\d|at\b)|^, (?:the|a) (?:world's|nation's|country's|\p{Lu}[\p{L}-]+'s) (?:largest|biggest|second-largest|third-largest|leading|top|No\. \d)\b/u;
/** What precedes a company's name in business news. */
const COMPANY_BEFORE = /\b(?:shares (?:in|of)|stake in|stock of|acquisition of|takeover of|bid for|merger with|(?:analysts?|economists?|strategists?|traders?|dealers?) (?:at|with)|subsidiary of|unit of|partner of|(?:chief executive|chairman|managing director|general manager) of)\s+$/i;

function companyContext(text: string, start: number, end: number): boolean {
  return COMPANY_AFTER.test(text.slice(end, end + 64)) || COMPANY_BEFORE.test(text.slice(Math.max(0, start - 40), start));
}

/** A town of the big gazetteer that is not a capital or a big city: its name is as often a company's. */
function minorCity(place: { kind: string; population?: number; country?: string }, name: string): boolean {
  if (place.kind !== 'city' || place.population === undefined || place.population >= 1_000_000) return false;
  const key = name.toLowerCase();
  const capital = lookupPlace(place.country ?? '');
  return !(capital && (capital as { capital?: string }).capital?.toLowerCase() === key);
}

/** Plural names of places ("the Alps", "the Netherlands"): facts of geography. */
const PLURAL_PLACES = set('alps,andes,rockies,himalayas,pyrenees,urals,carpathians,appalachians,balkans,baltics,americas,philippines,netherlands,bahamas,maldives,seychelles,comoros,falklands,hebrides,azores,canaries,antilles,dardanelles,highlands,lowlands,midlands,tropics,everglades,cotswolds,ardennes,dolomites,territories,states,emirates,islands,isles,heights,hills,lakes,plains,falls,grenadines,marshalls,solomons,moluccas,caymans,caribbean');

/** Heads of institutional names that go on with "for", "on" or "of" ("Commission on Human Rights"). */
const INSTITUTION_HEADS = set('organisation,organization,commission,committee,council,agency,association,federation,union,institute,league,foundation,fund,office,bureau,board,movement,front,party,alliance,society,court,ministry,department,centre,center,conference,congress,assembly,authority,coalition,campaign,network,forum,academy,school,college,university,bank,service,corporation,company,church,order,tribunal,secretariat,directorate,administration,programme,program,mission');
/** Heads that end an "X and Y Board" institution name. */
const AND_HEADS = set('board,exchange,commission,committee,council,association,institute,federation,union,society,department,ministry,foundation,fund,authority,agency,league,organisation,organization,bureau,office,administration');
/** Legal forms that end company names. */
const LEGAL_FORMS = set('corp,inc,co,ltd,plc,llc,cos,bros,ag,sa,nv,gmbh,bhd,pty');

/** Does a lower-case connector at toks[i] continue the institutional name in `cur`? */
function orgConnector(cur: Tok[], t: Tok, toks: Tok[], i: number, headline: boolean): boolean {
  const key = t.lower;
  if (key !== 'of' && key !== 'for' && key !== 'on' && key !== 'and' && key !== 'in') return false;
  if (cur.length > 8) return false;
  // the capitalised run after the connector
  let j = i + 1;
  const next: Tok[] = [];
  while (j < toks.length && next.length < 6 && namey(toks[j], headline) && (next.length === 0 || joins(toks[j - 1], toks[j]))) {
    next.push(toks[j]);
    if (/[’']s$/i.test(toks[j].text)) break;
    j++;
  }
  if (!next.length) return false;
  const nextLast = bare(next[next.length - 1]);
  const chained = cur.some((x) => x.lower === 'for' || x.lower === 'on' || (x.lower === 'of' && INSTITUTION_HEADS.has(bare(cur[0]))));
  const head = bare(cur[cur.length - 1]);
  if (key === 'for' || key === 'on') return INSTITUTION_HEADS.has(head) && !PROPER_TAGS.some((g) => cur[cur.length - 1].tags.has(g) && g !== 'Organization');
  if (key === 'of') {
    if (LEGAL_FORMS.has(nextLast) && cur.length <= 3) return true;
    return chained;
  }
  if (key === 'in') return chained && cur.some((x) => x.lower === 'for');
  // "and"
  if (chained) return true;
  if (!AND_HEADS.has(nextLast) || cur.length > 3) return false;
  if (cur.some((x) => ['Person', 'FirstName', 'LastName', 'MaleName', 'FemaleName', 'Place', 'Country', 'City', 'Region'].some((g) => x.tags.has(g)))) return false;
  if (ORG_HEADS.has(head) || LEGAL_FORMS.has(head) || lookupPlace(cur.map((x) => x.text).join(' '))) return false;
  return true;
}

const PLACE_TAIL = /^(?:\s+(?:metro|subway|underground|railway|train|bus|police|power|nuclear)\s+station|\s+(?:station|airport|square|stadium))\b/;

interface Classified {
  type?: EntityType;
  confidence: number;
  source: string;
}

function classify(toks: Tok[], text: string, prev: Tok | undefined, next: Tok | undefined, hasTitle: boolean, headline: boolean, allCapsPara: boolean): Classified {
  const name = toks.map((t) => t.text).join(' ');
  const surface = text.slice(toks[0].start, toks[toks.length - 1].end);
  const key = bare({ ...toks[0], lower: surface.toLowerCase() } as Tok).replace(/\s+/g, ' ');
  const lowerName = name.toLowerCase().replace(/\./g, '');
  const last = bare(toks[toks.length - 1]);
  const first = bare(toks[0]);
  if (SEATS.has(lowerName) || SEATS.has(key)) {
    const the = prev?.lower === 'the';
    if (the || /^(downing street|capitol hill|whitehall|foggy bottom|zhongnanhai|westminster)$/.test(lowerName)) return { type: 'organization', confidence: 0.9, source: 'seat' };
  }
  if (toks.length === 1 && COMMON_ABBREVIATIONS.has(lowerName)) return { type: undefined, confidence: 0, source: 'common-head' };
  if (toks.length === 1 && !allCapsPara && isAcronym(toks[0].text)) {
    const plain = toks[0].text.replace(/\./g, '').toLowerCase();
    if (PLACE_ACRONYMS.has(plain)) return { type: 'place', confidence: 0.9, source: 'acronym-place' };
    if (lookupPlace(toks[0].text)?.population === undefined && lookupPlace(toks[0].text)) return { type: 'place', confidence: 0.8, source: 'gazetteer' };
    if (toks[0].tags.has('Person')) return { type: 'person', confidence: 0.5, source: 'acronym-person' };
    return { type: 'organization', confidence: 0.75, source: 'acronym' };
  }
  if (hasTitle) return { type: 'person', confidence: 0.95, source: 'title' };
  for (let i = 1; i + 1 < toks.length; i++) {
    // "Organisation for Security and Cooperation in Europe", "Commission on Presidential Debates"
    if (/^(?:for|on|of)$/.test(toks[i].lower) && INSTITUTION_HEADS.has(bare(toks[i - 1])) && !PLACE_FIRST.has(first)) return { type: 'organization', confidence: 0.85, source: 'org-head' };
  }
  if (ORG_NAMES.has(lowerName)) return { type: 'organization', confidence: 0.85, source: 'org-name' };
  if (toks.length === 1 && prev?.lower === 'the' && /^(west|east|north|south|midwest|gulf)$/.test(first)) return { type: 'place', confidence: 0.6, source: 'region' };
  const place = lookupPlace(surface.replace(/[’']s$/, ''));
  if (!allCapsPara && !headline && companyContext(text, toks[0].start, toks[toks.length - 1].end)) {
    // "Ericsson said in a statement", "Magna was up 1/8", "shares of Royal Oak": a company, even when
    // its name is also a surname or a small town's
    const givenName = toks.some((t) => t.tags.has('FirstName') || t.tags.has('MaleName') || t.tags.has('FemaleName') || t.tags.has('Honorific'));
    // two or more words: only with a common word in them ("Royal Oak", "Battle Mountain"), not "Massoud Barzani"
    const wordy = toks.length === 1 || toks.some((t) => knownCommon(bare(t)));
    if (wordy && !givenName && !isInitial(toks[0]) && (!place || minorCity(place, surface))) return { type: 'organization', confidence: 0.9, source: 'company' };
  }
  if (place && (place.population === undefined || plausibleCity(toks))) return { type: 'place', confidence: 0.9, source: 'gazetteer' };
  if (toks.length > 1 && (ORG_HEADS.has(last) || ORG_OF.has(first) && toks.some((t) => t.lower === 'of'))) {
    if (last === 'city' || last === 'county') {
      if (lookupPlace(toks.slice(0, -1).map((t) => t.text).join(' '))) return { type: 'organization', confidence: 0.6, source: 'org-head' };
    } else if (!(last === 'post' || last === 'times' || last === 'trade' || last === 'international') || toks.length > 1) {
      return { type: 'organization', confidence: 0.85, source: 'org-head' };
    }
  }
  if (toks.length > 1 && last === 'state') {
    return lookupPlace(toks.slice(0, -1).map((t) => t.text).join(' ')) ? { type: 'place', confidence: 0.7, source: 'place-head' } : { type: 'organization', confidence: 0.6, source: 'org-head' };
  }
  if (toks.length > 1 && (PLACE_HEADS.has(last) || /^(mount|mt|lake|cape|fort|gulf|isle)$/.test(first))) return { type: 'place', confidence: 0.8, source: 'place-head' };
  if (PLACE_TAIL.test(text.slice(toks[toks.length - 1].end, toks[toks.length - 1].end + 40))) return { type: 'place', confidence: 0.8, source: 'place-tail' };
  if (toks.length >= 2 && isInitial(toks[0]) && !isInitial(toks[toks.length - 1]) && toks[toks.length - 1].text.length > 1) return { type: 'person', confidence: 0.85, source: 'initials' };
  for (let i = 1; i + 1 < toks.length; i++) {
    if (isInitial(toks[i]) && !isInitial(toks[i + 1])) return { type: 'person', confidence: 0.9, source: 'initials' };
  }
  let per = 0;
  let loc = 0;
  let org = 0;
  toks.forEach((t, i) => {
    if (t.tags.has('FirstName') || t.tags.has('MaleName') || t.tags.has('FemaleName')) per += i === 0 ? 2 : 0.5;
    else if (t.tags.has('LastName')) per += 1.2;
    else if (t.tags.has('Person') || t.tags.has('Honorific')) per += 0.8;
    if (t.tags.has('Country') || t.tags.has('City') || t.tags.has('Region')) loc += 1.5;
    else if (t.tags.has('Place')) loc += 1;
    // compromise tags "Gaddafi's sons", "Yeltsin's press office" as one organisation: not evidence for the owner
    if (t.tags.has('Organization') && !(i === toks.length - 1 && /[’']s$/i.test(t.text) && next && !startsUpper(next.text))) org += 0.8;
  });
  if (toks.length === 1 && !toks[0].initial && !headline && !allCapsPara && INSTITUTIONS.has(last) && startsUpper(toks[0].text)) {
    // "approved by Congress", "the Senate voted": a capitalised institution mid-sentence
    return { type: 'organization', confidence: 0.8, source: 'institution' };
  }
  if (ORG_HEADS.has(last) && toks.length === 1 && /^(party|union|council|parliament|congress|senate|army|navy|police|government|cabinet|court|church|ministry|university)$/.test(last)) {
    return { type: undefined, confidence: 0, source: 'common-head' };
  }
  if (toks.length >= 2 && per < 1) {
    // "Dynamo Moscow", "NAC Breda", "Manchester City", "Air France": a club or company named after a place
    const rest = toks.slice(0, -1).map((t) => t.text).join(' ');
    const lastCity = lookupPlace(toks[toks.length - 1].text);
    if (last === 'city' && lookupPlace(rest)?.kind === 'city' && !PLACE_FIRST.has(first)) return { type: 'organization', confidence: 0.7, source: 'club' };
    if (ORG_FIRST.has(first)) return { type: 'organization', confidence: 0.8, source: 'org-first' };
    if (lastCity && lastCity.kind === 'city' && !PLACE_FIRST.has(first) && !lookupPlace(toks[0].text) && !isInitial(toks[0]) && toks.length <= 3) return { type: 'organization', confidence: 0.6, source: 'club' };
  }
  // "press distributor Hachette", "the daily Sueddeutsche Zeitung", "Cofinec said it"
  if (per < 1 && loc === 0 && prev && !startsUpper(prev.text) && ORG_NOUNS.has(prev.lower)) return { type: 'organization', confidence: 0.7, source: 'org-noun' };
  if (per < 1 && loc === 0 && next && (next.lower === 'said' || next.lower === 'says') && next.next && /^(it|its)$/.test(next.next.lower)) return { type: 'organization', confidence: 0.7, source: 'said-it' };
  if (per < 1 && loc === 0) {
    const lastTok = toks[toks.length - 1];
    const after = text.slice(lastTok.end, lastTok.end + 40);
    const before = text.slice(Math.max(0, toks[0].start - 32), toks[0].start);
    // "Arch's shares", "KeyCorp's chief executive", "shares of Stork", "analyst at Indosuez": only companies and bodies
    if (ORG_AFTER.test(after) || ORG_BEFORE.test(before)) return { type: 'organization', confidence: 0.7, source: 'org-context' };
    // "Caltex said in a statement the ...": a body or company unless a person's pronoun follows
    if (toks.length <= 3 && /^ said in a statement\b(?! (?:that )?(?:he|she)\b)/.test(text.slice(lastTok.end, lastTok.end + 40))) return { type: 'organization', confidence: 0.6, source: 'org-context' };
    if (toks.length === 1 && prev?.lower === 'the' && PLURAL_PLACES.has(last) && !/^(?:territories|states|emirates|islands|isles|heights|hills|lakes|plains|falls|highlands|lowlands|tropics)$/.test(last)) return { type: 'place', confidence: 0.7, source: 'plural-place' };
    // "the Royals", "the Tigers", "the Greens": a capitalised plural common noun after "the" names a team or group
    if (toks.length === 1 && prev?.text === 'the' && !toks[0].initial && /^\p{Lu}\p{Ll}{2,}s$/u.test(toks[0].text) && (toks[0].tags.has('Plural') || knownCommon(bare(toks[0]).replace(/s$/, ''))) && !PLURAL_PLACES.has(last) && !EVENT_HEADS.has(last) && !DEMONYMS.has(last) && !isDemonymRun(toks, text)) {
      return { type: 'organization', confidence: 0.6, source: 'plural-name' };
    }
  }
  const prevRole = prev && !startsUpper(prev.text) && (ROLE_NOUNS.has(prev.lower) || ROLE_NOUNS.has(prev.lower.replace(/s$/, '')));
  const speech = (prev && SPEECH.has(prev.lower)) || (next && SPEECH.has(next.lower));
  if (per > loc && per > org && per >= 1) return { type: 'person', confidence: Math.min(0.85, 0.55 + per * 0.1) + (prevRole ? 0.1 : 0), source: 'tags-person' };
  if (loc > 0 && loc >= org && loc >= per) return { type: 'place', confidence: headline ? 0.6 : 0.7, source: 'tags-place' };
  if (org > 0 && org > per) return { type: 'organization', confidence: 0.5, source: 'tags-org' };
  if (prevRole) return { type: 'person', confidence: 0.65, source: 'role' };
  if (speech && toks.length >= 2) return { type: 'person', confidence: 0.5, source: 'speech' };
  if (/^,\s*(?:aged\s+)?\d{1,3}\s*[,.)]/.test(text.slice(toks[toks.length - 1].end, toks[toks.length - 1].end + 12))) return { type: 'person', confidence: 0.8, source: 'age' };
  if (per > 0) return { type: 'person', confidence: 0.45, source: 'tags-person-weak' };
  // capitalised common words ("Markets Overnight Summary") are no one's name
  const common = toks.some((t) => t.tags.has('Plural') || knownCommon(bare(t)));
  return { type: undefined, confidence: toks.length > 1 ? 0.35 : 0.25, source: common ? 'capitalised-common' : 'capitalised' };
}

/** compromise knows the word as something other than a name or a place. */
function knownCommon(k: string): boolean {
  const lex = lexicon()[k];
  if (lex === undefined) return false;
  const tags = Array.isArray(lex) ? lex : [lex];
  return !tags.some((g) => /^(City|Country|Region|Place|ProperNoun|Person|FirstName|LastName|MaleName|FemaleName|Organization|Honorific)$/.test(g));
}

/** Peel a leading honorific or title off a run; returns the number of tokens peeled. */
function peelTitle(toks: Tok[]): number {
  // honorific abbreviations: "Mr.", "Lt. Gen."
  let i = 0;
  let lastHead = 0;
  while (i < toks.length - 1) {
    const k = bare(toks[i]);
    if (HONORIFICS.has(k) || TITLE_HEADS.has(k)) {
      i++;
      lastHead = i;
      continue;
    }
    if (TITLE_MODIFIERS.has(k)) {
      i++;
      continue;
    }
    break;
  }
  return lastHead;
}

function isDemonymRun(toks: Tok[], text: string): boolean {
  if (toks.length > 2) return false;
  const k = toks.map((t) => bare(t)).join(' ');
  if (DEMONYMS.has(k)) return true;
  if (toks.length === 2 && /^(north|south|east|west|central|latin|northern|southern|eastern|western|iraqi|afghan|arab|black|white)$/.test(bare(toks[0])) && (DEMONYMS.has(bare(toks[1])) || toks[1].tags.has('Demonym'))) return true;
  if (toks.length === 1 && toks[0].tags.has('Demonym')) return true;
  // "Belarusian capital": an -ian/-ese/-ish adjective before a lower-case word
  if (toks.length === 1 && /(?:ian|ean|ese|ish|ic|an|i)$/.test(k) && !toks[0].tags.has('Person') && !lookupPlace(toks[0].text)) {
    const after = text.slice(toks[0].end, toks[0].end + 2);
    if (/^ \p{Ll}/u.test(after) && (toks[0].tags.has('Demonym') || toks[0].tags.has('Adjective') || /(?:ian|ese|ish)$/.test(k))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Pronouns and descriptors
// ---------------------------------------------------------------------------

const PRONOUN_RE = /\b(he|him|his|himself|she|her|hers|herself|they|them|their|theirs|themselves|it|its|itself)\b/giu;
function pronouns(text: string): PronounToken[] {
  const out: PronounToken[] = [];
  PRONOUN_RE.lastIndex = 0;
  for (let m = PRONOUN_RE.exec(text); m; m = PRONOUN_RE.exec(text)) {
    const w = m[1].toLowerCase();
    const gender: PronounToken['gender'] = /^(he|him|his|himself)$/.test(w)
      ? 'male'
      : /^(she|her|hers|herself)$/.test(w)
        ? 'female'
        : /^(it|its|itself)$/.test(w)
          ? 'neutral'
          : 'plural';
    out.push({ start: m.index, end: m.index + m[0].length, text: m[0], gender });
  }
  return out;
}

const AGE_RE = /^,\s*(?:aged\s+)?(\d{1,3})\s*(?=[,.;)]|$)|^\s*\((\d{1,3})\)/;
const APPOS_RE = /^,\s+((?:a|an|the|who|whose|which|one of|now|then|former|currently|also)\b[^,;:"“”()—]{1,160})(?=[,;.]|$|—)/i;
const REPORTING = /\b(said|says|told|added|reported|according|announced|wrote)\b/;

function descriptorsFor(index: number, cand: NameCandidate, text: string, names: NameCandidate[], out: DescriptorCandidate[]): void {
  let pos = cand.end;
  if (cand.possessive) return;
  const title = cand.prefix && !HONORIFICS.has(cand.prefix.text.replace(/\.$/, '').toLowerCase());
  if (title && cand.prefix) {
    const of = /^ of ((?:the )?\p{Lu}[\p{L}.'’-]*(?: \p{Lu}[\p{L}.'’-]*){0,4})/u.exec(text.slice(pos, pos + 80));
    const prefixText = cand.prefix.text;
    if (of) {
      const placeText = of[1].replace(/[’']s$/, '');
      out.push({ start: cand.prefix.start, end: pos + 4 + placeText.length, text: `${prefixText} of ${placeText}`, name: index, kind: 'title' });
      pos += 4 + placeText.length;
    } else {
      out.push({ ...cand.prefix, name: index, kind: 'title' });
    }
  }
  if (cand.type !== undefined && cand.type !== 'person' && cand.type !== 'place') return;
  const rest = text.slice(pos, pos + 200);
  const age = AGE_RE.exec(rest);
  if (age && cand.type !== 'place') {
    const digits = age[1] ?? age[2];
    const value = Number(digits);
    if (value > 0 && value < 120) {
      const at = pos + rest.indexOf(digits, 1);
      out.push({ start: at, end: at + digits.length, text: digits, name: index, kind: 'age' });
      pos = at + digits.length;
    }
  }
  const ap = APPOS_RE.exec(text.slice(pos, pos + 200));
  if (ap) {
    const phrase = ap[1].trim().replace(/\.$/, '');
    const words = phrase.split(/\s+/);
    const at = pos + ap[0].indexOf(ap[1]);
    const startsName = names.some((n) => n.start > at && n.start <= at + words[0].length + 1 && n.type !== undefined);
    if (words.length <= 24 && !REPORTING.test(phrase) && !startsName) {
      const kind = /^(who|whose|which)\b/i.test(phrase) ? 'relative' : 'appositive';
      out.push({ start: at, end: at + phrase.length, text: phrase, name: index, kind });
    }
  }
}

// ---------------------------------------------------------------------------
// Paragraph analysis
// ---------------------------------------------------------------------------

const HEADLINE_LOWER = set('with,from,into,onto,upon,over,than,that,amid,near,past,like,when,after,before,about,under,versus,without');

function headlineStyle(text: string): { titleCase: boolean; allCaps: boolean } {
  let upper = 0;
  let lower = 0;
  let capWords = 0;
  let words = 0;
  let sentenceEnd = false;
  let lowerLong = 0;
  const sample = text.length > 400 ? text.slice(0, 400) : text;
  for (const m of sample.matchAll(/[\p{L}][\p{L}'’-]*/gu)) {
    const w = m[0];
    for (const ch of w) {
      if (isUpper(ch)) upper++;
      else if (isLower(ch)) lower++;
    }
    if (w.length > 3 || /^\p{Lu}/u.test(w)) {
      words++;
      if (/^\p{Lu}/u.test(w)) capWords++;
      else if (!HEADLINE_LOWER.has(w)) lowerLong++;
    }
  }
  if (/\p{Ll}{2}[.!?]["”’]?\s+\p{Lu}\p{Ll}/u.test(sample)) sentenceEnd = true;
  const allCaps = upper >= 4 && upper > 4 * lower;
  const titleCase = allCaps || (words >= 2 && capWords >= 2 && lowerLong === 0 && !sentenceEnd && text.length < 300);
  return { titleCase, allCaps };
}

/** Analyse one paragraph: sentences, name candidates, pronouns, descriptors. Offsets are relative. */
export function analyzeParagraphNlp(text: string): ParagraphNlp {
  if (!text || !/\p{L}/u.test(text)) {
    const sentences = text && text.trim() ? exact(splitSentences(text)) : none<Span>();
    return { sentences, names: none(), pronouns: none(), descriptors: none(), titleCase: false };
  }
  const sentences = splitSentences(text);
  const style = headlineStyle(text);
  const allCaps = style.allCaps;
  const toks = tokensOf(text, sentences, allCaps);
  // title case only when capitalised common words show it (a line of names and numbers is not a headline)
  const table = tableLine(text);
  const titleCase = !table && (allCaps || (style.titleCase && toks.some((t) => startsUpper(t.text) && commonWord(t))));
  const names: NameCandidate[] = [];
  const index = new Map<Tok, number>();
  toks.forEach((t, i) => index.set(t, i));
  const ctx: EmitContext = { all: toks, index, text, headline: titleCase, allCaps, table, names };
  const dateline = datelinePlaces(text);
  for (const run of runs(toks, titleCase, table)) {
    for (const part of splitRun(run.toks)) {
      if (dateline && part.length && part[0].start < dateline.end) continue;
      emit(part, ctx);
    }
  }
  if (dateline) names.push(...dateline.places);
  names.sort((a, b) => a.start - b.start);
  const descriptors: DescriptorCandidate[] = [];
  names.forEach((c, i) => descriptorsFor(i, c, text, names, descriptors));
  roleAffiliations(names, toks, index, text, descriptors);
  // cached for every paragraph of every open article: exact-length arrays, one shared empty list
  return { sentences: exact(sentences), names: exact(names), pronouns: exact(pronouns(text)), descriptors: exact(descriptors), titleCase };
}

/**
 * Names and titles repeat across an article's paragraphs: every cached analysis shares one
 * copy of each short one (a copy of its own, so the table never keeps a paragraph's text alive).
 */
let internTable = new Map<string, string>();
function intern(s: string): string {
  if (s.length > 48) return s;
  const had = internTable.get(s);
  if (had !== undefined) return had;
  if (internTable.size >= 50_000) internTable = new Map();
  const own = s.length >= 13 ? (` ${s}`).slice(1) : s;
  internTable.set(own, own);
  return own;
}

/**
 * An analysis made in another thread arrives as a structured clone, with copies of every
 * string and list: share its strings and empty lists the way a local analysis does.
 */
export function adoptNlp(nlp: ParagraphNlp): ParagraphNlp {
  for (const n of nlp.names) {
    n.text = intern(n.text);
    n.source = intern(n.source);
    if (n.type) n.type = intern(n.type) as EntityType;
    if (n.prefix) n.prefix.text = intern(n.prefix.text);
  }
  for (const p of nlp.pronouns) {
    p.text = intern(p.text);
    p.gender = intern(p.gender) as PronounToken['gender'];
  }
  for (const d of nlp.descriptors) {
    d.text = intern(d.text);
    d.kind = intern(d.kind) as DescriptorCandidate['kind'];
  }
  return {
    sentences: shared(nlp.sentences),
    names: shared(nlp.names),
    pronouns: shared(nlp.pronouns),
    descriptors: shared(nlp.descriptors),
    titleCase: nlp.titleCase,
  };
}

/** A string shared with every analysis that has an equal one (short strings only). */
export function sharedString(s: string): string {
  return intern(s);
}

/** The shared empty list for an empty list. */
export function shared<T>(list: T[]): T[] {
  return list.length ? list : none<T>();
}

/** One empty list shared by every analysis (frozen: nothing may add to it). */
const EMPTY: readonly never[] = Object.freeze([]);
function none<T>(): T[] {
  return EMPTY as unknown as T[];
}

/** A list without the spare capacity `push` leaves (a one-item list would keep room for 16). */
function exact<T>(list: T[]): T[] {
  return list.length ? list.slice() : none<T>();
}

/** Split a run where a new name clearly starts: "Minsk Belarus" never, but "U.N. Envoy" style stays. */
function splitRun(toks: Tok[]): Tok[][] {
  // a hyphen-joined run of two places/countries ("Belarus-Russia") stays one token sequence; fine
  return [toks];
}

interface EmitContext {
  all: Tok[];
  index: Map<Tok, number>;
  text: string;
  headline: boolean;
  allCaps: boolean;
  /** a line of names and numbers: results, standings, schedules, scorecards, price lists */
  table: boolean;
  names: NameCandidate[];
}

/** Lower-case words that may appear in a line of results or standings. */
const TABLE_WORDS = set('v,vs,at,beat,bt,b,c,lbw,st,run,out,not,and,lb,nb,w,ret,retired,hurt,seconds,metres,meters,minutes,points,pts,halftime,after,extra,time,to,be,played,on,of,won,lost,drew,draw,innings,overs,wickets,for,dec,declared,pen,pens,agg,aet,a,the,in,seed,am,pm,min,mins,sec,km,kg,m,h,x');

/** Results, standings, schedules and price lines: few words, digits, (almost) no running prose. */
export function tableLine(text: string): boolean {
  if (text.length > 400 || !/\p{L}/u.test(text)) return false;
  const words = text.match(/\p{L}[\p{L}'’.-]*/gu) ?? [];
  if (words.length > 40) return false;
  let prose = 0;
  for (const w of words) if (/^\p{Ll}/u.test(w) && !TABLE_WORDS.has(w.replace(/[.]$/, ''))) prose++;
  if (/^(?:\p{Lu}[\p{Lu}.'’-]*\s)*\p{Lu}[\p{Lu}.'’-]* AT (?:\p{Lu}[\p{Lu}.'’-]*\s)*\p{Lu}[\p{Lu}.'’-]*$/u.test(text)) return true;
  if (!/\d/.test(text)) return false;
  // an all-caps line with several words is a headline ("FRANCE BEAT MEXICO 2-0 IN FRIENDLY")
  if (words.length > 3 && !/\p{Ll}/u.test(text)) return false;
  return prose === 0 || (prose <= 1 && words.length >= 4);
}

const DATELINE_RE = /^((?:\p{Lu}[\p{Lu}.'’-]*)(?: \p{Lu}[\p{Lu}.'’-]*){0,3})(?:, (\p{Lu}[\p{L}.'’-]*(?: \p{Lu}[\p{L}.'’-]*){0,2}))?(?= \d{4}-\d\d-\d\d| ?[—–]| \(\p{Lu}[\p{L}. ]{1,30}\) ?[—–-]|\s*$| \d{1,2} \p{Lu}\p{Ll}+ \d{4})/u;

/** "MOSCOW —", "MAHALA, Bosnia 1996-08-31", "WASHINGTON (Reuters) -": the place words of a dateline. */
function datelinePlaces(text: string): { end: number; places: NameCandidate[] } | undefined {
  if (text.length > 2000) return undefined;
  const m = DATELINE_RE.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m[0].length);
  // a line of its own needs a date; inside a paragraph the dash or agency marks it
  if (!/^ \d{4}-\d\d-\d\d\s*$|^ ?[—–]|^ \(\p{Lu}[\p{L}. ]{1,30}\) ?[—–-]|^ \d{1,2} \p{Lu}\p{Ll}+ \d{4}\s*$/u.test(rest)) return undefined;
  const city = m[1];
  if (city.replace(/[^\p{Lu}]/gu, '').length < 2 || NOT_NAMES.has(city.toLowerCase())) return undefined;
  const places: NameCandidate[] = [{ start: 0, end: city.length, text: city, type: 'place', confidence: 0.95, source: 'dateline' }];
  if (m[2]) {
    const at = m[0].length - m[2].length;
    places.push({ start: at, end: at + m[2].length, text: m[2], type: 'place', confidence: 0.95, source: 'dateline' });
  }
  return { end: m[0].length, places };
}

function emit(toks: Tok[], ctx: EmitContext): void {
  const { all, index, text, headline, allCaps, names } = ctx;
  // drop leading "The"/"A" and trailing connectors
  while (toks.length && NOT_NAMES.has(bare(toks[0])) && !HONORIFICS.has(bare(toks[0])) && !(toks.length > 1 && isInitial(toks[0]))) toks = toks.slice(1);
  // "Ohio-based KeyCorp", "Mo.-based Commerce Bancshares": the place the company is based in is not its name
  while (toks.length > 1 && /-based$/i.test(toks[0].text)) toks = toks.slice(1);
  while (toks.length && (CONNECTORS.has(toks[toks.length - 1].lower) || toks[toks.length - 1].lower === 'of' || toks[toks.length - 1].lower === '&')) toks = toks.slice(0, -1);
  if (!toks.length) return;
  let peeled = peelTitle(toks);
  if (peeled > 0) {
    const lastKey = bare(toks[toks.length - 1]);
    if (ORG_HEADS.has(lastKey) || EVENT_HEADS.has(lastKey) || PLACE_HEADS.has(lastKey) || /^(league|baseball|football|basketball|hockey)$/.test(lastKey)) peeled = 0;
  }
  let prefix: NameCandidate['prefix'];
  let body = toks;
  if (peeled > 0) {
    const p0 = toks[0];
    const pl = toks[peeled - 1];
    const pEnd = pl.end + (pl.post.startsWith('.') && !pl.text.endsWith('.') ? 1 : 0);
    prefix = { start: p0.start, end: pEnd, text: intern(text.slice(p0.start, pEnd)) };
    body = toks.slice(peeled);
  }
  // "Russian President Boris Yeltsin", "American Nate Miller": a leading nationality is not part of the name
  let lead = 0;
  const lastKey = bare(body[body.length - 1]);
  const keepLead = ORG_HEADS.has(lastKey) || PLACE_HEADS.has(lastKey) || lastKey === 'state' || lookupPlace(text.slice(body[0].start, body[body.length - 1].end)) !== undefined;
  while (!keepLead && lead < body.length - 1 && (DEMONYMS.has(bare(body[lead])) || body[lead].tags.has('Demonym') || /^(former|late|then|co-\p{L}+)$/u.test(bare(body[lead])))) lead++;
  if (lead > 0 && lead < body.length) {
    body = body.slice(lead);
    if (!prefix) {
      const again = peelTitle(body);
      if (again > 0) {
        const pl = body[again - 1];
        const pEnd = pl.end + (pl.post.startsWith('.') && !pl.text.endsWith('.') ? 1 : 0);
        prefix = { start: toks[0].start, end: pEnd, text: intern(text.slice(toks[0].start, pEnd)) };
        body = body.slice(again);
      }
    }
  }
  if (!body.length) return;
  if (body.length > 1 && EVENT_HEADS.has(bare(body[body.length - 1]))) return;
  // a title with nothing usable after it ("President Trump" keeps Trump; "Prime Minister" alone is not a name)
  if (!prefix && body.length === 1 && (TITLE_HEADS.has(bare(body[0])) || HONORIFICS.has(bare(body[0])))) return;
  if (!prefix && isDemonymRun(body, text)) return;
  if (body.every((t) => NOT_NAMES.has(bare(t)))) return;
  const first = body[0];
  const last = body[body.length - 1];
  let end = last.end;
  let possessive = false;
  const m = /[’']s$/i.exec(last.text);
  if (m && last.text.length > 2) {
    end -= 2;
    possessive = true;
  } else if (/s$/.test(last.text) && /^[’']/.test(last.post) && !/^[’']\p{L}/u.test(last.post)) {
    possessive = true;
  }
  const prev = all[(index.get(toks[0]) ?? 0) - 1];
  const next = all[(index.get(last) ?? 0) + 1];
  const prevOk = prev && prev.sentence === first.sentence ? prev : undefined;
  const nextOk = next && next.sentence === last.sentence ? next : undefined;
  const cls = classify(body, text, prevOk, nextOk, prefix !== undefined && !isHonorificOnlyTitle(prefix.text, body), headline, allCaps);
  if (cls.source === 'common-head') return;
  if (cls.type === 'place' && cls.source === 'gazetteer' && !possessive && !prefix && prevOk && /^(?:in|at)$/i.test(prevOk.text) && /^\s*(?:[:,;.]|$)/.test(text.slice(end, end + 2))) {
    // "In Tirana: ...", "At Florida, ...": where something happened, even in a report where the name is also a team
    cls.source = 'venue';
  }
  if (headline && body.length > 1 && cls.confidence < 0.8 && !prefix) {
    // a headline's capitalised run is mostly common words: keep its parts, the article level decides
    for (const t of body) emit([t], ctx);
    return;
  }
  let spanEnd = end;
  if (cls.source === 'place-tail') {
    const tail = PLACE_TAIL.exec(text.slice(end, end + 40));
    if (tail) spanEnd = end + tail[0].length;
  }
  if (body.length === 1 && /^\p{Lu}$/u.test(first.text) && /^ ?\/ ?\p{Lu}\b/u.test(text.slice(spanEnd, spanEnd + 4))) return; // "N / A", "N/A"
  if (ctx.table && body.length === 1 && /^\p{Lu}{1,2}$/u.test(first.text) && text[first.start - 1] === '(' && text[spanEnd] === ')') {
    // "Mladost (BJ)": the letters that tell two clubs of the same name apart belong to the club's name
    return;
  }
  if (ctx.table && !prefix && cls.type !== 'person' && !possessive) {
    const club = CLUB_LETTERS.exec(text.slice(spanEnd, spanEnd + 8));
    if (club) {
      spanEnd += club[0].length;
      cls.type = 'organization';
      cls.confidence = 0.9;
      cls.source = 'team';
    }
  }
  const after = text.slice(spanEnd, spanEnd + 48);
  const nat = cls.source === 'team' && ctx.table ? null : NATIONALITY_AFTER.exec(after);
  const placeHere = cls.source === 'gazetteer' || cls.source === 'acronym-place';
  if (nat && !placeHere && cls.type !== 'organization' && isCountry(nat[1]) && !NOT_NAMES.has(bare(first)) && ctx.table && (cls.type !== 'person' || cls.confidence < 0.75) && TEAM_SCORES.test(text)) {
    // "Benetton (Italy) 92 Dinamo (Russia) 81": clubs and their countries in a basketball or football result
    cls.type = 'organization';
    cls.confidence = 0.9;
    cls.source = 'team';
  } else if (nat && !placeHere && cls.type !== 'organization' && isCountry(nat[1]) && !NOT_NAMES.has(bare(first))) {
    // "Michelle Freeman (Jamaica) 12.71", "Quigley (USA)": a competitor and her country
    cls.type = 'person';
    cls.confidence = Math.max(cls.confidence, body.length > 1 ? 0.9 : 0.8);
    cls.source = 'nationality';
  } else if (BOWLING_AFTER.test(after) && cls.type !== 'place' && cls.type !== 'organization') {
    cls.type = 'person';
    cls.confidence = Math.max(cls.confidence, 0.8);
    cls.source = 'figures';
  } else if (ctx.table && !prefix) {
    const facts = lookupPlace(text.slice(first.start, end));
    const personal = cls.type === 'person' && (cls.source === 'initials' || cls.confidence >= 0.75);
    const before = text.slice(Math.max(0, first.start - 12), first.start);
    if (isCountry(text.slice(first.start, end)) || facts?.kind === 'country' || cls.source === 'acronym-place') {
      // national teams are named by their country
    } else if (SCORE_LINE.test(text) || (first.start === 0 && STANDINGS_LINE.test(text))) {
      // "Lotte 6 Hyundai 2": a result line names two teams, whatever the names look like elsewhere
      cls.type = 'organization';
      cls.confidence = 0.9;
      cls.source = 'team';
    } else if ((first.start === 0 && /^:\s/.test(after) && cls.type !== 'person') || /\b[Aa]t $/.test(before)) {
      cls.type = 'place';
      cls.confidence = Math.max(cls.confidence, 0.8);
      cls.source = 'venue';
    } else if (CRICKET_LINE.test(text) || /(?:^|\s)(?:b|c|st|lbw|c &) $/.test(before)) {
      // a batting line of a scorecard: "R. Mahanama c Healy b McGrath 50"
      if (cls.type !== 'place' || !facts) {
        cls.type = 'person';
        cls.confidence = Math.max(cls.confidence, 0.8);
        cls.source = 'scorecard';
      }
    } else if (!personal && !(body.length > 1 && (cls.type === undefined || cls.type === 'person')) && !ORDINALS.has(bare(first)) && cls.type !== 'organization' && /[\d(]|^ AT |^ [-–] /.test(after + before.slice(-6))) {
      cls.type = 'organization';
      cls.confidence = 0.9;
      cls.source = 'team';
    }
  }
  if ((cls.type === 'place' || (cls.type === undefined && !headline && body.length === 1)) && teamContext(text, first.start, spanEnd)) {
    const facts = lookupPlace(text.slice(first.start, end));
    if ((!facts || facts.kind !== 'country') && !isCountry(text.slice(first.start, end))) {
      cls.confidence = cls.type === 'place' ? 0.8 : 0.6;
      cls.type = 'organization';
      cls.source = 'team';
    }
  }
  if (!possessive && cls.type === 'organization' && LEGAL_FORMS.has(bare(last)) && text[spanEnd] === '.' && /\S/.test(text.slice(spanEnd + 1, spanEnd + 40))) {
    // "NationsBank Corp. could ...": the abbreviation's period belongs to the name (not a paragraph's last period)
    spanEnd++;
  }
  const cand: NameCandidate = {
    start: first.start,
    end: spanEnd,
    text: intern(text.slice(first.start, spanEnd)),
    type: cls.type,
    confidence: Math.min(1, cls.confidence),
    source: cls.source,
  };
  if (prefix) cand.prefix = prefix;
  if (possessive) cand.possessive = true;
  names.push(cand);
}

/** A result line: two names, each followed by its score ("Lotte 6 Hyundai 2", "Port Vale 1 Notts County 0"). */
const SCORE_LINE = /^\p{Lu}[\p{L}.'’&-]*(?: [\p{L}.'’&-]+){0,3} \d{1,3} \p{Lu}[\p{L}.'’&-]*(?: [\p{L}.'’&-]+){0,3} \d{1,3}\s*$/u;
/** A line of a league table: a name and five or more numbers ("Port Vale 4 1 2 1 4 4 5"). */
const STANDINGS_LINE = /^\p{Lu}[\p{L}.'’&-]*(?: [\p{L}.'’&-]+){0,3}(?: \d{1,3}){5,12}\s*$/u;
/** Letters in brackets that tell clubs of the same name apart ("Mladost (BJ)", "Radnicki (N)"). */
const CLUB_LETTERS = /^ \(\p{Lu}{1,2}\)(?= \d)/u;
/** Team scores beside bracketed countries: "X (Italy) 92 Y (Russia) 81", "X (Yugoslavia) beat Y (Russia) 92-90". */
const TEAM_SCORES = /\) (?:[1-9]\d{1,2}) \p{Lu}|\b(?:[2-9]\d|1\d\d)-(?:[2-9]\d|1\d\d)\b/u;
const CRICKET_LINE = /\s(?:c|b|st|lbw)\s\p{Lu}|\snot out\b|\srun out\b/u;
const ORDINALS = set('first,second,third,fourth,fifth,sixth,seventh,eighth,ninth,tenth,last,final');

const NATIONALITY_AFTER = /^ \((\p{Lu}[\p{L}.]*(?: \p{Lu}[\p{L}.]*){0,2})\)/u;
const BOWLING_AFTER = /^ \d{1,2}(?:\.\d)?-\d{1,2}-\d{1,3}-\d{1,2}\b/;

/** Nations that field national teams without being in the country list. */
const FORMER_AND_HOME_NATIONS = set('england,scotland,wales,northern ireland,yugoslavia,soviet union,ussr,czechoslovakia,east germany,west germany');

function isCountry(name: string): boolean {
  if (PLACE_ACRONYMS.has(name.replace(/\./g, '').toLowerCase())) return true;
  if (/^\p{Lu}{3}$/u.test(name)) return true;
  return lookupPlace(name)?.kind === 'country' || FORMER_AND_HOME_NATIONS.has(name.toLowerCase());
}

const TEAM_AFTER = /^(?:[’']s)?\s+(?:\d{1,3}(?![\d/-]\d{2}-)|beat|beats|drew|draw|draws|lost|won|win|wins|lead|led|closed|reached|captain|all-rounder|batsman|bowler|skipper|coach|manager|striker|midfielder|defender|goalkeeper|winger|fans|side|team|squad|player|players|supporters|\(\d)/;
const TEAM_BEFORE = /(?:\b(?:beat|beating|v|vs\.?|club|side|team|champions|leaders|hosts|visitors|drew with|draw with|lost to|losing to|win over|victory over|defeat by|defeat to|defeated|home to|joined|join|signed for|moved to|move to)|^\d{1,3}(?:-\d{1,3})?)\s+$/;

/** A sports context: "Essex 372", "beat Somerset", "Surrey captain". Teams named after places are organisations. */
function teamContext(text: string, start: number, end: number): boolean {
  const after = text.slice(end, end + 24);
  if (/^\s+\d{4}-\d\d-\d\d/.test(after) || /^\s+\d{4}\b/.test(after)) return false;
  if (TEAM_AFTER.test(after)) return true;
  return TEAM_BEFORE.test(text.slice(Math.max(0, start - 20), start));
}

function isHonorificOnlyTitle(_prefix: string, _body: Tok[]): boolean {
  return false;
}

/** "Surrey captain Chris Lewis": the name before a role noun is the person's affiliation. */
function roleAffiliations(names: NameCandidate[], toks: Tok[], index: Map<Tok, number>, text: string, out: DescriptorCandidate[]): void {
  const byStart = new Map<number, number>();
  names.forEach((n, i) => byStart.set(n.start, i));
  const byEnd = new Map<number, number>();
  names.forEach((n, i) => byEnd.set(n.end, i));
  names.forEach((n, i) => {
    if (n.type !== 'person' || n.prefix) return;
    // token right before the name
    const before = text.slice(Math.max(0, n.start - 40), n.start);
    const m = /(\p{Lu}[\p{L}.'’-]*(?: \p{Lu}[\p{L}.'’-]*)*) ((?:[a-z-]+ )?[a-z-]+) $/u.exec(before);
    if (!m || !ROLE_NOUNS.has(m[2].split(' ').pop() ?? '')) return;
    const orgEnd = n.start - m[2].length - 2;
    const org = byEnd.get(orgEnd);
    if (org === undefined || names[org].type === 'person') return;
    const roleStart = n.start - m[2].length - 1;
    out.push({ start: roleStart, end: roleStart + m[2].length, text: m[2], name: i, kind: 'role' });
    out.push({ start: names[org].start, end: names[org].end, text: names[org].text, name: i, kind: 'affiliation' });
  });
  void toks;
  void index;
}
