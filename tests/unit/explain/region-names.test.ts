import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  encodeRegionTable,
  inflateRegionTable,
  lookupRegion,
  parseRegionTable,
  type RegionNode,
} from '../../../utils/explain/region-names.ts';

const shipped = inflateRegionTable(new Uint8Array(readFileSync('public/regions/regions.deflate')));

describe('the shipped region table', () => {
  it.each([
    ['411381', '河南省南阳市邓州市', '邓州市', null],
    ['411381121', '河南省南阳市邓州市陶营镇', '邓州市', '陶营镇'],
    ['110101001', '北京市东城区东华门街道', '东城区', '东华门街道'],
    ['419001', '河南省济源市', '济源市', null],
  ])('names %s as %s', (code, label, county, township) => {
    const name = lookupRegion(shipped, code);
    expect(name?.label).toBe(label);
    expect(name?.county).toBe(county);
    expect(name?.township).toBe(township);
  });

  it.each([
    ['410000', '河南省'],
    ['411300', '河南省南阳市'],
  ])('names the province or prefecture code %s by dropping its zero groups', (code, label) => {
    expect(lookupRegion(shipped, code)?.label).toBe(label);
  });

  it.each(['411399', '411381999', '41138', 'abcdef', '', '4113811211'])(
    'returns null for %j, which is not a known county or township',
    (code) => {
      expect(lookupRegion(shipped, code)).toBeNull();
    },
  );

  it('holds every county and township of the source', () => {
    expect(shipped.size).toBeGreaterThan(44_000);
  });
});

describe('encodeRegionTable and parseRegionTable', () => {
  const tree: RegionNode[] = [
    {
      code: '41',
      name: '河南省',
      children: [
        {
          code: '4113',
          name: '南阳市',
          children: [{ code: '411381', name: '邓州市', children: [{ code: '411381121', name: '陶营镇' }] }],
        },
      ],
    },
    { code: '11', name: '北京市', children: [{ code: '1101', name: '市辖区' }] },
  ];

  it('round-trips a tree through the compact text form', () => {
    const table = parseRegionTable(encodeRegionTable(tree));
    expect([...table.entries()]).toEqual([
      ['41', '河南省'],
      ['4113', '南阳市'],
      ['411381', '邓州市'],
      ['411381121', '陶营镇'],
      ['11', '北京市'],
      ['1101', '市辖区'],
    ]);
  });

  it('skips lines that do not fit the format instead of guessing', () => {
    const table = parseRegionTable('41河南省\n\t\t\t121孤儿镇\nxx坏行\n\t13南阳市');
    expect([...table.keys()]).toEqual(['41', '4113']);
  });
});
