import { evaluateDecision } from '../../../src/engine/dmn';
import { parseFixture } from './dmn-fixtures';

describe('older DMN versions', () => {
  it.each([['dish-dmn11.dmn'], ['dish-dmn12.dmn']])(
    'parses and evaluates %s like DMN 1.3',
    async (fixture) => {
      const drg = await parseFixture(fixture);
      expect(drg.decisions.map((d) => d.id)).toEqual(['dish']);
      expect(evaluateDecision(drg, 'dish', { season: 'Winter' }).output).toBe('Roastbeef');
      expect(evaluateDecision(drg, 'dish', { season: 'Summer' }).output).toBe('Salad');
    },
  );
});
