import { describe, expect, it } from 'vitest';
import { analyzeParagraphNlp, splitSentences, tableLine } from '../../server/src/analysis/nlp';
import type { NameCandidate, ParagraphNlp } from '../../server/src/analysis/types';

function names(r: ParagraphNlp): string[] {
  return r.names.filter((n) => n.type).map((n) => `${n.text}/${n.type}`);
}

function offsetsHold(text: string, r: ParagraphNlp): void {
  const spans = [...r.names, ...r.pronouns, ...r.descriptors.filter((d) => d.kind !== 'title'), ...r.names.flatMap((n) => (n.prefix ? [n.prefix] : []))];
  for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
  for (const s of r.sentences) {
    expect(s.start).toBeGreaterThanOrEqual(0);
    expect(s.end).toBeLessThanOrEqual(text.length);
    expect(s.end).toBeGreaterThan(s.start);
  }
}

describe('analyzeParagraphNlp: names', () => {
  const cases: [string, string, string[]][] = [
    ['honorific is not part of the name', 'Mr. Lukashenko spoke to Ms. Tikhanovskaya on Monday.', ['Lukashenko/person', 'Tikhanovskaya/person']],
    ['title is not part of the name', 'President Aleksandr G. Lukashenko of Belarus appealed to the Kremlin.', ['Aleksandr G. Lukashenko/person', 'Belarus/place', 'Kremlin/organization']],
    ['multi-word title', 'Prime Minister Boris Johnson met Gov. Andrew Cuomo.', ['Boris Johnson/person', 'Andrew Cuomo/person']],
    ['first + initial + last', '“It is over,” said Vitaly A. Karazhan, 33, in Minsk.', ['Vitaly A. Karazhan/person', 'Minsk/place']],
    ['curly possessive', 'Mr. Lukashenko’s security forces moved in.', ['Lukashenko/person']],
    ['straight possessive', "Mr. Putin's spokesman declined to comment.", ['Putin/person']],
    ['list of places is split', 'The leaders of Estonia, Latvia and Lithuania called for new elections.', ['Estonia/place', 'Latvia/place', 'Lithuania/place']],
    ['city, country is two places', 'Ivan Nechepurenko reported from Minsk, Belarus.', ['Ivan Nechepurenko/person', 'Minsk/place', 'Belarus/place']],
    ['organisation by head word', 'The European Union and the Interior Ministry said on Friday that the plan failed.', ['European Union/organization', 'Interior Ministry/organization']],
    ['dotted acronyms are organisations', 'The U.N. and NATO asked the F.B.I. for help.', ['U.N./organization', 'NATO/organization', 'F.B.I./organization']],
    ['place acronym', 'Officials in the U.S. said the talks failed.', ['U.S./place']],
    ['seats of power act as governments', 'The Kremlin said the White House and Downing Street were told.', ['Kremlin/organization', 'White House/organization', 'Downing Street/organization']],
    ['demonyms are not entities', 'In the Belarusian capital, Russian oil and the Russians were discussed.', []],
    ['a leading nationality is not part of the name', 'Russian President Boris Yeltsin visited Moscow.', ['Boris Yeltsin/person', 'Moscow/place']],
    ['metro station is a place', 'Thousands gathered at the Pushkinskaya metro station on Sunday.', ['Pushkinskaya metro station/place']],
    ['sentence-initial common words are not names', 'Strikes spread. Factories closed. Over the weekend, nothing moved.', []],
    ['sports team named after a place', 'Leicestershire beat Somerset by an innings at Grace Road.', ['Leicestershire/organization', 'Somerset/organization', 'Grace Road/place']],
    ['events are not entities', 'He won the Italian Grand Prix and played in the World Cup.', []],
    ['institution names go on with for/on/and', 'Delegates from the Council for Peace and Justice in Africa travelled yesterday to meet the Commission on Coastal Waters.', ['Council for Peace and Justice in Africa/organization', 'Commission on Coastal Waters/organization']],
    ['X and Y Board', 'The schedule was announced yesterday by the Test and County Cricket Board after talks.', ['Test and County Cricket Board/organization']],
    ['X of Y Ltd', 'Managers at Silver Reefs of Namibia Ltd said on Friday the mine was shut.', ['Silver Reefs of Namibia Ltd/organization']],
    ['legal form keeps its period mid-paragraph', 'Shares of Brindlecorp Inc. rose while Harrow Bros. fell.', ['Brindlecorp Inc./organization', 'Harrow Bros./organization']],
    ['a possessive inside a company name', "Analysts expected that the bid for Farmers' Bancshares Inc. would be raised.", ["Farmers' Bancshares Inc./organization"]],
    ['the place a company is based in is not its name', 'Workers said that Ohio-based Quillfield Holdings Ltd would cut jobs.', ['Ohio/place', 'Quillfield Holdings Ltd/organization']],
    ['company evidence around an unknown word', "After the warning, Zantrex's shares fell sharply and analysts at Morvane cut their forecasts.", ['Zantrex/organization', 'Morvane/organization']],
    ['a capitalised plural after "the" is a team or group', 'Fans of the Giants travelled through the Alps to watch the match.', ['Giants/organization', 'Alps/place']],
    ['Men and Women headings are not names', "Women's 100 metres", []],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const r = analyzeParagraphNlp(text);
    expect(names(r)).toEqual(expected);
    offsetsHold(text, r);
  });

  it('records the honorific or title as prefix and the possessive', () => {
    const text = 'Mr. Lukashenko’s turn and President Vladimir V. Putin came.';
    const r = analyzeParagraphNlp(text);
    const luka = r.names.find((n) => n.text === 'Lukashenko') as NameCandidate;
    expect(luka.prefix?.text).toBe('Mr.');
    expect(luka.possessive).toBe(true);
    const putin = r.names.find((n) => n.text === 'Vladimir V. Putin') as NameCandidate;
    expect(putin.prefix?.text).toBe('President');
    expect(putin.possessive).toBeUndefined();
  });

  it('plural possessive s’', () => {
    const text = 'The Smiths’ lawyer met Mr. Jones.';
    const r = analyzeParagraphNlp(text);
    const smiths = r.names.find((n) => n.text === 'Smiths');
    expect(smiths?.possessive).toBe(true);
  });

  it('UTF-16 offsets stay right after emoji', () => {
    const text = '😀🎉 Mr. Putin met 👍 Angela Merkel in Berlin.';
    const r = analyzeParagraphNlp(text);
    expect(names(r)).toEqual(['Putin/person', 'Angela Merkel/person', 'Berlin/place']);
    offsetsHold(text, r);
  });
});

describe('analyzeParagraphNlp: descriptors, pronouns, style', () => {
  const cases: [string, string, string, string, string][] = [
    ['age', 'said Vitaly A. Karazhan, 33, referring to him.', 'Vitaly A. Karazhan', 'age', '33'],
    ['appositive', 'In Minsk, the Belarusian capital, thousands marched.', 'Minsk', 'appositive', 'the Belarusian capital'],
    ['relative clause', 'Mr. Karazhan, who works as a medical equipment engineer, said he feared it.', 'Karazhan', 'relative', 'who works as a medical equipment engineer'],
    ['title with country', 'President Aleksandr G. Lukashenko of Belarus appealed to the Kremlin.', 'Aleksandr G. Lukashenko', 'title', 'President of Belarus'],
    ['role before the name', 'Surrey captain Chris Lewis made 80.', 'Chris Lewis', 'role', 'captain'],
  ];
  it.each(cases)('%s', (_name, text, name, kind, value) => {
    const r = analyzeParagraphNlp(text);
    const i = r.names.findIndex((n) => n.text === name);
    expect(i).toBeGreaterThanOrEqual(0);
    const d = r.descriptors.find((x) => x.name === i && x.kind === kind);
    expect(d?.text).toBe(value);
  });

  it('does not take a reporting clause for an appositive', () => {
    const r = analyzeParagraphNlp('Mr. Lukashenko, the Kremlin said in a statement, had talked with Mr. Putin.');
    expect(r.descriptors.filter((d) => d.kind === 'appositive')).toEqual([]);
  });

  it('finds pronouns with gender', () => {
    const r = analyzeParagraphNlp('He said she told them about its plan and his.');
    expect(r.pronouns.map((p) => `${p.text}:${p.gender}`)).toEqual(['He:male', 'she:female', 'them:plural', 'its:neutral', 'his:male']);
  });

  const styles: [string, string, boolean][] = [
    ['title-case headline', 'Under Siege in Belarus, Lukashenko Turns to Putin', true],
    ['all-caps headline', 'CRICKET - LEICESTERSHIRE TAKE OVER AT TOP AFTER INNINGS VICTORY.', true],
    ['prose', 'Mr. Lukashenko appealed to the Kremlin on Saturday for help.', false],
    ['a line of names is not a headline', 'Jonas Bjorkman (Sweden) 6-1', false],
  ];
  it.each(styles)('titleCase: %s', (_name, text, expected) => {
    expect(analyzeParagraphNlp(text).titleCase).toBe(expected);
  });
});

describe('analyzeParagraphNlp: robustness', () => {
  const junk: [string, string][] = [
    ['empty', ''],
    ['spaces', '   '],
    ['CRLF', 'Mr. Putin spoke.\r\nMr. Lukashenko listened.'],
    ['unclosed quotes', '“'.repeat(8000)],
    ['spaced straight quotes', '" '.repeat(4000)],
    ['capitalised run without sentence ends', 'Abc Def '.repeat(1000)],
    ['one long sentence', 'word '.repeat(1600)],
    ['lone surrogates and controls', '\ud800\udc00\ud83d \u0000\u0007 Mr. Smith \udfff'],
    ['initials only', 'A. '.repeat(2600)],
  ];
  it.each(junk)('%s', (_name, text) => {
    const t0 = performance.now();
    const r = analyzeParagraphNlp(text);
    expect(performance.now() - t0).toBeLessThan(3000);
    offsetsHold(text, r);
    for (const s of r.sentences) expect(s.end - s.start).toBeLessThanOrEqual(1000);
  });

  it('splits sentences around abbreviations and initials but at real ends', () => {
    const text = 'Mr. Putin met Vladimir V. Putin at the U.N. headquarters. Then he left! Did he?';
    expect(splitSentences(text).map((s) => text.slice(s.start, s.end))).toEqual([
      'Mr. Putin met Vladimir V. Putin at the U.N. headquarters.',
      'Then he left!',
      'Did he?',
    ]);
  });

  it('CRLF inside a paragraph splits sentences and keeps offsets', () => {
    const text = 'Mr. Putin spoke\r\nMr. Lukashenko listened.';
    const r = analyzeParagraphNlp(text);
    expect(r.sentences.length).toBe(2);
    expect(names(r)).toEqual(['Putin/person', 'Lukashenko/person']);
  });
});

describe('analyzeParagraphNlp: results, datelines and organisations', () => {
  const cases: [string, string, string[]][] = [
    ['a results line: clubs named after places are teams', 'Wexley 3 Brandholm 1', ['Wexley/organization', 'Brandholm/organization']],
    ['a standings line', 'Brandholm 4 3 1 0 9 4 10', ['Brandholm/organization']],
    ['national teams stay places', 'Brazil 2 Italy 1', ['Brazil/place', 'Italy/place']],
    ['a results line: names that look personal are teams too', 'Lotte 6 Hyundai 2', ['Lotte/organization', 'Hyundai/organization']],
    ['a competitor and her country', '2. Ludmila Varga (Hungary) 12.74', ['Ludmila Varga/person', 'Hungary/place']],
    ['initials in a scorecard are people', 'R. Kowalski c Ashby b Novak 44', ['R. Kowalski/person', 'Ashby/person', 'Novak/person']],
    ['a dateline line names a place', 'KORVALA, Estonia 2021-03-04', ['KORVALA/place', 'Estonia/place']],
    ['a dateline dash', 'TARVIK — The talks stalled on Monday.', ['TARVIK/place']],
    ['an institution mid-sentence', 'The bill was approved by Congress and the Senate on Monday.', ['Congress/organization', 'Senate/organization']],
    ['a club named after a city', 'Fans of Dynamo Moscow and Air France workers protested.', ['Dynamo Moscow/organization', 'Air France/organization']],
    ['an organisation announced by its kind', 'The deal was signed with press distributor Hachelle on Friday.', ['Hachelle/organization']],
    ['a title before an organisation is not a person', 'Results of Major League games were delayed.', ['Major League/organization']],
    ['a headline with a score is not a results line', 'SOCCER - FRANCE BEAT MEXICO 2-0 IN FRIENDLY.', ['FRANCE/place', 'MEXICO/place']],
    // organisations (issue #4)
    ['a two-word club opening a standings line', 'Kelvar Vale 4 1 2 1 4 4 5', ['Kelvar Vale/organization']],
    ['a two-word club opening a results line', 'Kelvar Vale 2 Orvale 0', ['Kelvar Vale/organization', 'Orvale/organization']],
    ['a standings line whose club the tagger reads as a verb', 'Southend 4 0 1 3 2 10 1', ['Southend/organization']],
    ['clubs beside their countries in a basketball result', 'Tarnova (Italy) 92 Belgrin (Russia) 81 (halftime 50-28)', ['Tarnova/organization', 'Italy/place', 'Belgrin/organization', 'Russia/place']],
    ['clubs beat clubs by a basketball score', 'Red Star (Yugoslavia) beat Belgrin (Russia) 92-90', ['Red Star/organization', 'Yugoslavia/place', 'Belgrin/organization', 'Russia/place']],
    ['athletes beside their countries stay people', 'Pete Sampras (U.S.) beat Tim Henman (Britain) 6-3 6-4', ['Pete Sampras/person', 'Tim Henman/person', 'Britain/place']],
    ['letters that tell two clubs apart belong to the name', 'Zorvik (V) 2 Mladen (BJ) 1', ['Zorvik (V)/organization', 'Mladen (BJ)/organization']],
    ['a news agency opening a sentence', 'Reuters has not verified these reports.', ['Reuters/organization']],
    ['a possessive before a lower-case noun is not an organisation', "Talks with Vorlin's press office failed.", []],
    ['statistics abbreviations are not organisations', 'Tom Berry had six RBI and an ERA of 3.10.', ['Tom Berry/person']],
    ['N / A is not a name', 'The figure was N / A for 1995.', []],
    ['a company by what it says', 'Brandholm said on Friday it would cut 300 jobs.', ['Brandholm/organization']],
    ['a company by its share price, even with a surname for a name', 'Ericsson was up 1/8 at 48 on Friday.', ['Ericsson/organization']],
    ['a company named like a small town', 'Shares of Kettering rose after the deal.', ['Kettering/organization']],
    ['a company in a statement', 'Vorlin said in a statement the order was worth $5 million.', ['Vorlin/organization']],
    ['a person in a statement stays unknown', 'Vorlin said in a statement he was ill.', []],
    ['a person saying it is a person', 'Massoud Barzani said that it was backed by Baghdad.', ['Massoud Barzani/person', 'Baghdad/place']],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    const r = analyzeParagraphNlp(text);
    expect(names(r)).toEqual(expected);
    offsetsHold(text, r);
  });

  const tables: [string, boolean][] = [
    ['Wexley 3 Brandholm 1', true],
    ['NEW YORK 74 59 .556 -', true],
    ['KANSAS CITY AT DETROIT', true],
    ['Mr. Putin met Angela Merkel in 2019 and they talked.', false],
    ['SOCCER - FRANCE BEAT MEXICO 2-0 IN FRIENDLY.', false],
  ];
  it.each(tables)('tableLine: %s', (text, expected) => {
    expect(tableLine(text)).toBe(expected);
  });
});
