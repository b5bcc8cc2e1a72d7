import { BpmnModdle } from 'bpmn-moddle';
import { evaluate, unaryTest } from 'feelin';
import { DmnModdle } from 'dmn-moddle';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';

describe('ESM-only dependencies load under jest', () => {
  it('parses BPMN with Zeebe extensions and evaluates FEEL', async () => {
    const moddle = new BpmnModdle({ zeebe: zeebeModdle });
    const { rootElement } = await moddle.fromXML(
      '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d"><process id="p"/></definitions>',
    );
    expect(rootElement.id).toBe('d');
    expect(evaluate('a + 1', { a: 1 }).value).toBe(2);
    expect(unaryTest('> 5', { '?': 6 }).value).toBe(true);
    expect(typeof DmnModdle).toBe('function');
  });
});
