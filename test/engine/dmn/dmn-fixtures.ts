import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDmn, type ParsedDrg } from '../../../src/engine/dmn';

export function readFixture(name: string): string {
  return readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');
}

export function parseFixture(name: string): Promise<ParsedDrg> {
  return parseDmn(readFixture(name), name);
}
