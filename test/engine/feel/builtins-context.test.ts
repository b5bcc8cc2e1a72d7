/** FEEL reference, "Context functions": one block per function, its documented examples. */
import { examples } from './support';

describe('get value()', () => {
  examples([
    ['get value({foo: 123}, "foo")', 123],
    ['get value({a: 1}, "b")', null],
    ['get value({x:1, y: {z:0}}, ["y", "z"])', 0],
    ['get value({x: {y: {z:0}}}, ["x", "y"])', { z: 0 }],
    ['get value({a: {b: 3}}, ["b"])', null],
    ['get value(order, "total price")', 12.5, { order: { 'total price': 12.5 } }],
  ]);
});

describe('get entries()', () => {
  examples([['get entries({foo: 123})', [{ key: 'foo', value: 123 }]]]);
});

describe('context put()', () => {
  examples([
    ['context put({x:1}, "y", 2)', { x: 1, y: 2 }],
    ['context put({x:1}, ["y"], 2)', { x: 1, y: 2 }],
    ['context put({x:1, y: {z:0}}, ["y", "z"], 2)', { x: 1, y: { z: 2 } }],
    ['context put({x:1}, ["y", "z"], 2)', { x: 1, y: { z: 2 } }],
    ['context put({x:1}, [], 2)', null],
    // the deprecated name
    ['put({x:1}, "y", 2)', { x: 1, y: 2 }],
  ]);
});

describe('context merge()', () => {
  examples([
    ['context merge([{x:1}, {y:2}])', { x: 1, y: 2 }],
    ['context merge([{x:1, y: 0}, {y:2}])', { x: 1, y: 2 }],
    // the deprecated name
    ['put all({x:1}, {y:2})', { x: 1, y: 2 }],
  ]);
});
