/**
 * Words and tokens for the quote analysis: speech cues, clause words,
 * honorifics, and a one-pass tokenizer over a paragraph whose quotations are
 * masked. Shared by the per-paragraph step (quoteLocal.ts) and the article
 * step (quotes.ts). Pure; no state.
 */


/** Speech verbs and phrases. Lower case; matched on lower-case tokens. */
export const CUE_WORDS = new Set(
  (
    'said says say saying told tells tell telling added adds adding asked asks asking wrote writes writing ' +
    'declared declares declaring insisted insists insisting explained explains explaining noted notes noting ' +
    'warned warns warning argued argues arguing stated continued continues recalled recalls recalling ' +
    'replied replies replying responded responds responding answered answers remarked remarks observed observes ' +
    'acknowledged acknowledges admitted admits conceded concedes claimed claims claiming contended contends ' +
    'suggested suggests suggesting announced announces announcing tweeted tweets tweeting posted quipped quips ' +
    'joked jokes boasted boasts bragged complained complains complaining lamented laments predicted predicts ' +
    'promised promises vowed vows vowing pledged pledges urged urges urging cautioned cautions countered counters ' +
    'retorted shouted shouts yelled exclaimed whispered testified testifies reported reports concluded concludes ' +
    'emphasized emphasizes emphasised stressed stresses stressing mused recounted agreed agrees speculated charged ' +
    'alleged maintained maintains cried chanted wondered wonders demanded demands interjected assured reiterated ' +
    'confirmed confirms denied denies proclaimed proclaims thundered snapped scoffed sighed laughed texted emailed ' +
    'opined predicted estimated quoted recalled acknowledged described describes called calls dubbed labeled ' +
    'labelled branded termed praised criticized criticised blasted slammed accused mocked hailed touted ' +
    'read reads began begins concluded advised explained elaborated clarified asserted asserts asserting ' +
    'commented comments commenting ask put sings sang singing chanting chants wrote tweeted shot fired ' +
    'typed interrupted interrupts continued explained predicted recounted reminded reminds recalled ' +
    'mocks fumed fumes surmised remembered remembers pressed gushed raved marveled marvelled griped grumbled ' +
    'scolded taunted teased sneered huffed muses retorts quips chimed attacked denounced condemned decried lambasted derided chided rebuked'
  ).split(/\s+/),
);

/** Cues that are only speech cues when directly followed by the quote or by ':' or ','. */
export const WEAK_CUES = new Set(['typed', 'put', 'shot', 'fired', 'sings', 'sang', 'singing', 'read', 'reads', 'began', 'begins', 'posted', 'calls', 'called', 'described', 'describes', 'dubbed', 'labeled', 'labelled', 'branded', 'termed']);

/** Cues that name or label rather than report speech: what follows is a label, not a statement. */
export const NAMING_CUES = new Set(['called', 'calls', 'dubbed', 'labeled', 'labelled', 'branded', 'termed', 'described', 'describes']);

/** Words that may sit between a subject and its cue: "also said", "has said", "later wrote". */
export const AUX_WORDS = new Set(
  (
    'also later then previously once again has had have would will was is were are had simply just even still now ' +
    'been being be ' +
    'often repeatedly recently earlier further frequently subsequently finally first flatly bluntly herself himself ' +
    'themselves itself not never always reportedly privately publicly angrily quickly'
  ).split(/\s+/),
);

/** Words that end a speaker noun phrase when walking back from a cue. */
export const CLAUSE_WORDS = new Set(
  (
    'that when as because but while after before if since where though although whereas than so and ' +
    'what which who whom whose how why once until unless whether'
  ).split(/\s+/),
);

/** Words that end a speaker noun phrase when walking forward from a cue. */
export const FORWARD_STOP = new Set(
  (
    'who which that in on at during after before while when referring adding according as to from via ' +
    'of about with, without told during last this on next because yesterday today tonight'
  ).split(/\s+/),
);

/** A quotation directly followed by one of these is not followed by an attribution. */
export const NON_SUBJECT_START = new Set(
  (
    'is was are were be been being has have had will would can could should may might must do does did ' +
    'and or but nor that which to of for in on at by with as than so because if when while although though ' +
    'not no into from about over under between'
  ).split(/\s+/),
);

export const PRONOUNS: Record<string, 'male' | 'female' | 'plural' | 'neutral'> = {
  he: 'male',
  she: 'female',
  they: 'plural',
  we: 'plural',
  i: 'neutral',
  it: 'neutral',
};

export const SMALL_WORDS = new Set(
  'a an the and or nor but of in on at to for with by from as vs via into onto up out off over per than is are was be its'.split(' '),
);

export const HONORIFICS = new Set(
  (
    'mr mrs ms miss mx dr sen rep gov gen lt col sgt capt cpt maj adm prof rev fr st sir dame lord lady president ' +
    'senator representative governor mayor minister chancellor judge justice secretary chairman chairwoman chief ' +
    'general colonel captain sergeant pope king queen prince princess sheikh ambassador commissioner speaker ' +
    'premier dean director coach'
  ).split(/\s+/),
);

export const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr sen rep gov gen lt col sgt capt cpt maj adm prof rev fr st jr sr mt ft no vs etc inc corp co ' +
    'ltd bros dept est jan feb mar apr jun jul aug sep sept oct nov dec ave blvd rd univ assn gov govt approx ' +
    'fig al del atty supt cmdr pres sec amb hon messrs lieut gens reps sens'
  ).split(/\s+/),
);

export const PREPOSITIONS = new Set(
  'in on at during of to about for with from by after before into over under since until upon via as while when'.split(' '),
);

/** Words that open a sentence without being its subject ("During the speech, Trump said …"). */
export const OPENERS = new Set(
  (
    'in on at during after before with as while when since although though if because earlier later last this ' +
    'that then but and so yet still also however meanwhile now speaking asked addressing responding following ' +
    'despite throughout among amid under over from for by to of instead unlike like once'
  ).split(/\s+/),
);

export const MASK = '\uE000';
export const MASK_TERMINAL = '\uE001';

// ---------------------------------------------------------------------------
// Tokens (bounded windows only)
// ---------------------------------------------------------------------------

export interface Tok {
  /** absolute offsets */
  start: number;
  end: number;
  text: string;
  kind: 'word' | 'punct' | 'quote';
}

export const NON_ASCII_WORD = /[\p{L}\p{N}\p{M}]/u;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Letter, digit or combining mark (fast path for ASCII). */
export function isWordCode(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c === 0xe000 || c === 0xe001) return false;
  if (c >= 0xd800 && c <= 0xdbff) return NON_ASCII_WORD.test(text.slice(i, i + 2));
  if (c >= 0xdc00 && c <= 0xdfff) return false;
  return NON_ASCII_WORD.test(text[i]);
}

/**
 * Words (with inner apostrophes, hyphens, dots: O’Brien, D-Wis, U.S.), runs of
 * masked quotations, and single punctuation characters. Hand-written: one pass.
 */
export function tokenize(masked: string, from: number, to: number, base: number): Tok[] {
  const out: Tok[] = [];
  let i = from;
  while (i < to) {
    const c = masked.charCodeAt(i);
    if (c === 0xe000 || c === 0xe001) {
      let j = i + 1;
      while (j < to && (masked.charCodeAt(j) === 0xe000 || masked.charCodeAt(j) === 0xe001)) j++;
      out.push({ start: base + i, end: base + j, text: masked.slice(i, j), kind: 'quote' });
      i = j;
      continue;
    }
    if (isSpaceCode(c)) {
      i++;
      continue;
    }
    if (isWordCode(masked, i)) {
      let j = i + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
      for (;;) {
        // an astral letter is two code units: never end a word between them
        while (j < to && isWordCode(masked, j)) j += isHighSurrogate(masked.charCodeAt(j)) && j + 1 < to ? 2 : 1;
        const d = masked[j];
        if (j + 1 < to && (d === '’' || d === "'" || d === '-' || d === '.' || d === '&') && isWordCode(masked, j + 1)) {
          j += 2;
          continue;
        }
        break;
      }
      let t = masked.slice(i, j);
      if (j < to && masked.charCodeAt(j) === 46 && isAbbreviation(t + '.')) {
        t += '.';
        j++;
      }
      out.push({ start: base + i, end: base + j, text: t, kind: 'word' });
      i = j;
      continue;
    }
    const len = c >= 0xd800 && c <= 0xdbff && i + 1 < to ? 2 : 1;
    if (!(c >= 0xdc00 && c <= 0xdfff) || len === 2) {
      if (c < 0xd800 || c > 0xdfff || len === 2) out.push({ start: base + i, end: base + i + len, text: masked.slice(i, i + len), kind: 'punct' });
    }
    i += len;
  }
  return out;
}

export function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x3000;
}

export function isAbbreviation(word: string): boolean {
  const w = word.endsWith('.') ? word.slice(0, -1) : word;
  if (w.length === 1) return /\p{Lu}/u.test(w);
  if (w.includes('.')) return true; // U.S., a.m.
  return ABBREVIATIONS.has(w.toLowerCase());
}

export function lower(t: Tok): string {
  return t.text.toLowerCase();
}

export function isCapitalized(t: Tok): boolean {
  return t.kind === 'word' && /^\p{Lu}/u.test(t.text);
}


/**
 * Common English given names by usual gender, a hint for he/she when an article
 * uses no honorific. General knowledge, deliberately short: a miss only means
 * "gender unknown".
 */
export const MALE_GIVEN = new Set(
  (
    'aaron adam alan albert alex alexander andrew anthony arthur barack ben benjamin bernie bill billy bob bobby brad ' +
    'brian bruce carl charles chris christopher chuck dan daniel david dennis dick donald doug douglas edward eric frank ' +
    'fred gary george gerald greg harry henry howard ian jack jacob james jason jeb jeff jeffrey jerry jim jimmy joe john ' +
    'johnny jon jonathan jose joseph josh joshua juan justin keith ken kenneth kevin larry lawrence lindsey mark martin ' +
    'matt matthew michael mike mitch mitt nathan newt nicholas nick patrick paul peter phil philip ralph randy ray reince ' +
    'richard rick robert roger ron ronald rudy russell ryan sam samuel scott sean stephen steve steven ted terry thomas ' +
    'tim timothy todd tom tony vladimir walter wayne william'
  ).split(/\s+/),
);
export const FEMALE_GIVEN = new Set(
  (
    'alice alicia amanda amy andrea angela ann anna anne barbara betty beverly brenda carol carolyn catherine cheryl ' +
    'christina christine claire cynthia deborah debbie diana diane donna dorothy elizabeth ellen emily emma evelyn frances ' +
    'gloria hannah heather helen hillary huma ivanka jane janet janice jean jennifer jessica joan joyce judith judy julia ' +
    'julie karen kate katherine kathleen kathy kelly kellyanne kimberly laura lauren linda lisa loretta lori louise maria ' +
    'marie marilyn martha mary megan megyn melania melissa michelle nancy nicole nikki olivia pamela patricia rachel ' +
    'rebecca rose ruth sandra sara sarah sharon shirley stephanie susan tammy teresa theresa tina virginia'
  ).split(/\s+/),
);
