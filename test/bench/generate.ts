/**
 * Deterministic article text in the style of a wire story (headline, dateline,
 * people with honorifics, places, organizations, quotes with speakers,
 * multi-paragraph quotes, boilerplate), for benchmarks and robustness tests.
 * The names are invented combinations of common given names and surnames.
 */

const GIVEN = ['Anna', 'Pavel', 'Maria', 'Olga', 'James', 'Sarah', 'Daniel', 'Elena', 'Mikhail', 'Laura', 'Peter', 'Irina', 'Thomas', 'Nadia', 'Viktor', 'Helen'];
const SURNAMES = ['Petrova', 'Kowalski', 'Dunmore', 'Haskell', 'Varga', 'Lindqvist', 'Moreau', 'Oduya', 'Brennan', 'Sokolov', 'Almeida', 'Whitfield', 'Castellan', 'Novak', 'Ferreira', 'Ashby'];
const PLACES = ['Minsk', 'Warsaw', 'Vilnius', 'Kyiv', 'Berlin', 'Paris', 'Moscow', 'Riga', 'Prague', 'Vienna', 'Budapest', 'Helsinki'];
const ORGS = ['the European Union', 'the Kremlin', 'the United Nations', 'NATO', 'the Interior Ministry', 'the Central Election Commission', 'the World Bank', 'the Supreme Court'];
const TITLES = ['President', 'Prime Minister', 'Foreign Minister', 'Mayor', 'Senator', 'Gov.'];
const HONORIFIC = ['Mr.', 'Ms.', 'Dr.'];
const CUES = ['said', 'told reporters', 'added', 'said in a statement', 'wrote on social media'];
const CLAUSES = [
  'the talks would resume next week',
  'the government had no plans to change course',
  'protesters had gathered outside the ministry since dawn',
  'the sanctions were a mistake that would hurt ordinary people',
  'the election results did not reflect the will of voters',
  'officials were preparing a response to the latest demands',
];

/** A small seeded PRNG (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateArticle(targetChars: number, seed = 1): string {
  const rnd = random(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  // a clause with a number in it: real paragraphs are not repeated verbatim (those would be boilerplate)
  const clause = () => `${pick(CLAUSES)} in ${2 + Math.floor(rnd() * 400)} districts`;
  const people = Array.from({ length: 12 }, () => ({ first: pick(GIVEN), last: pick(SURNAMES), title: pick(TITLES), hon: pick(HONORIFIC) }));
  const headline = `Under Pressure in ${pick(PLACES)}, ${people[0].last} Turns to ${people[1].last}`;
  const parts: string[] = [headline, headline, `${pick(PLACES).toUpperCase()} — ${people[0].title} ${people[0].first} ${people[0].last} of ${pick(PLACES)} appealed to ${pick(ORGS)} on Saturday for help.`];
  let size = parts.join('\n\n').length;
  let paragraph = 0;
  while (size < targetChars) {
    const p = pick(people);
    const q = pick(people);
    const kind = paragraph++ % 6;
    let text: string;
    if (kind === 0) text = `${p.hon} ${p.last}, speaking to officials in ${pick(PLACES)}, said that ${clause()}, while ${pick(ORGS)} said ${clause()}.`;
    else if (kind === 1) text = `“${capital(clause())},” ${pick(CUES)} ${p.first} ${p.last}, a ${pick(['teacher', 'engineer', 'lawyer', 'student'])} from ${pick(PLACES)}. “We will see what happens.”`;
    else if (kind === 2) text = `${q.title} ${q.first} ${q.last} ${pick(CUES)} that ${clause()} and called the plan “${pick(['reckless', 'fair', 'historic'])}.”`;
    else if (kind === 3) text = `“${capital(clause())}, and ${clause()},” ${p.hon} ${p.last} said.\n\n“${capital(clause())}.\n\n“${capital(clause())},” ${p.hon === 'Ms.' ? 'she' : 'he'} added.`;
    else if (kind === 4) text = `In ${pick(PLACES)}, thousands of people marched past the offices of ${pick(ORGS)} as ${p.hon} ${p.last}’s supporters waited. 👍 ${clause()}.`;
    else text = `${p.first} ${p.last}, ${20 + Math.floor(rnd() * 50)}, who works for ${pick(ORGS)}, said ${clause()}.`;
    parts.push(text);
    size += text.length + 2;
  }
  parts.push('Source link', 'Check Also', headline);
  return parts.join('\n\n');
}

function capital(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
