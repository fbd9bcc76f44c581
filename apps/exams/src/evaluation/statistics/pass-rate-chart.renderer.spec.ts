import {
  escapeXml,
  monthsChartGroups,
  renderPassRateChartSvg,
  type PassRateChartGroup,
} from './pass-rate-chart.renderer';
import { passRateByMonthsFromCounts } from './pass-rate-by-months';
import { summariseGroup } from './wilson-interval';

const group = (label: string, n: number, passed: number): PassRateChartGroup => ({
  label,
  ...summariseGroup({ n, passed }),
});

/**
 * A small well-formedness check (no XML parser is a dependency): the prolog, balanced and
 * properly nested elements with quoted attributes, one root, and no stray `<` or bare `&`.
 */
function expectWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  expect(body).not.toMatch(/^<\?xml/);
  const stack: string[] = [];
  let roots = 0;
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const match of body.matchAll(token)) {
    const [, closing, name, , selfClosing, text, strayLessThan] = match;
    if (strayLessThan)
      throw new Error(
        `stray '<' or malformed tag at ${match.index}: ${body.slice(match.index, match.index + 40)}`,
      );
    if (text !== undefined) {
      if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${text}`);
      const bareAmpersand = text.match(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
      if (bareAmpersand) throw new Error(`bare & in text: ${text}`);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) {
      roots++;
    }
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
  // Attribute values must not hold bare ampersands either.
  for (const [, value] of body.matchAll(/="([^"]*)"/g)) {
    expect(value).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos);)/);
  }
}

describe('renderPassRateChartSvg', () => {
  const svg = renderPassRateChartSvg({
    title: 'Pass rate by stipend status — session 2026-06',
    groups: [group('Recipients', 200, 128), group('Non-recipients', 200, 58)],
  });

  it('is a standalone, well-formed SVG document', () => {
    expect(
      svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'),
    ).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expectWellFormedXml(svg);
  });

  it('has the title, the y axis title and ticks 0 to 100', () => {
    expect(svg).toContain('>Pass rate by stipend status — session 2026-06</text>');
    expect(svg).toContain('<title id="chart-title">Pass rate by stipend status — session 2026-06</title>');
    expect(svg).toContain('>Pass rate (%)</text>');
    const ticks = [...svg.matchAll(/<text class="tick"[^>]*>(\d+)<\/text>/g)].map((m) => Number(m[1]));
    expect(ticks).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('draws one bar per group with its label, "n = ..." and a 95% whisker', () => {
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(2);
    expect(svg).toContain('>n = 200</text>');
    expect(svg).toContain('>Recipients<title>Recipients</title></text>');
    expect(svg).toContain('>Non-recipients<title>Non-recipients</title></text>');
    expect(svg.match(/<line class="whisker"/g)).toHaveLength(2);
    expect(svg.match(/<line class="whisker-cap"/g)).toHaveLength(4);
    expect(svg).toContain('>64.0%</text>');
  });

  it('scales bars to the pass rate: 64% of a 240 px plot is 153.6 px tall', () => {
    const bars = [...svg.matchAll(/<rect class="bar" x="[\d.]+" y="([\d.]+)" width="56" height="([\d.]+)"/g)];
    expect(bars.map((m) => Number(m[2]))).toEqual([153.6, 69.6]);
    expect(Number(bars[0][1]) + Number(bars[0][2])).toBe(300); // bars stand on the x axis
  });

  it('escapes labels and titles that look like markup', () => {
    const hostile = renderPassRateChartSvg({
      title: 'Écoles <script>alert("x")</script> & co',
      groups: [group(`St. Mary's "<b>" & Co\u0007`, 10, 7), group('ok', 10, 2)],
    });
    expectWellFormedXml(hostile);
    expect(hostile).not.toContain('<script>');
    expect(hostile).not.toContain('<b>');
    expect(hostile).toContain('Écoles &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(hostile).toContain('St. Mary&apos;s &quot;&lt;b&gt;&quot; &amp; Co\ufffd');
    expect(hostile).not.toContain('\u0007');
  });

  it('truncates long labels on the axis but keeps them whole in the tooltip', () => {
    const long = renderPassRateChartSvg({
      title: 't',
      groups: [group('École normale supérieure de Niamey', 10, 5)],
    });
    expect(long).toContain('>École normale s…<title>École normale supérieure de Niamey</title></text>');
  });

  it('draws no bar for a group without results, but still its label and n = 0', () => {
    const empty = renderPassRateChartSvg({
      title: 't',
      groups: [group('Recipients', 0, 0), group('Others', 5, 5)],
    });
    expectWellFormedXml(empty);
    expect(empty.match(/<rect class="bar"/g)).toHaveLength(1);
    expect(empty).toContain('>n = 0</text>');
    expect(empty).toContain('>no results</text>');
    expect(empty).toContain('>100.0%</text>');
  });

  it('renders an empty chart (axes and title) when there are no groups', () => {
    const none = renderPassRateChartSvg({ title: 'Nothing yet', groups: [] });
    expectWellFormedXml(none);
    expect(none).not.toContain('class="bar"');
  });

  it('labels months bars in words', () => {
    const months = monthsChartGroups(
      passRateByMonthsFromCounts([
        { months: 0, n: 5, passed: 2 },
        { months: 1, n: 4, passed: 3 },
        { months: 6, n: 4, passed: 3 },
      ]),
    );
    expect(months.map((g) => g.label)).toEqual(['0 months', '1 month', '6 months']);
    expect(
      renderPassRateChartSvg({ title: 'By months', groups: months }).match(/<rect class="bar"/g),
    ).toHaveLength(3);
  });

  it('titles the horizontal axis when asked, inside the drawing and escaped', () => {
    const titled = renderPassRateChartSvg({
      title: 'By months',
      xAxisTitle: 'Months of stipend <before> the exam',
      groups: [group('0 months', 10, 3)],
    });
    expectWellFormedXml(titled);
    const match = titled.match(
      /<text class="axis-title" x="[\d.]+" y="([\d.]+)" text-anchor="middle">Months of stipend &lt;before&gt; the exam<\/text>/,
    );
    expect(match).not.toBeNull();
    const height = Number(titled.match(/height="(\d+)"/)![1]);
    expect(Number(match![1])).toBeLessThan(height);
    expect(svg).not.toContain('Months of stipend');
  });

  it('escapes the five XML specials and forbidden control characters', () => {
    expect(escapeXml(`<&>"'\u0000\u001f\t\n`)).toBe('&lt;&amp;&gt;&quot;&apos;\ufffd\ufffd\t\n');
    expect(escapeXml('\ud83c\udf93 ok')).toBe('\ud83c\udf93 ok'); // a whole surrogate pair stays
    expect(escapeXml('\ud83c alone')).toBe('\ufffd alone');
  });
});
