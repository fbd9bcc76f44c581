import type { IntervalEstimate } from './estimable';
import { monthsLabel, type MonthsPassRate } from './pass-rate-by-months';
import type { TwoGroupComparison } from './two-group-comparison';

/** One bar: a group's pass rate and its 95% interval (a `GroupSummary` plus a label). */
export interface PassRateChartGroup {
  readonly label: string;
  readonly n: number;
  readonly passed: number;
  readonly passRate: IntervalEstimate;
}

export interface PassRateChart {
  readonly title: string;
  readonly groups: readonly PassRateChartGroup[];
  /** Title of the horizontal axis (what the bars are), drawn under the group labels. */
  readonly xAxisTitle?: string;
}

const SLOT = 104;
const MIN_WIDTH = 360;
const BAR_WIDTH = 56;
const CAP_WIDTH = 18;
const MARGIN = { top: 60, right: 24, bottom: 68, left: 76 } as const;
const PLOT_HEIGHT = 240;
const MAX_LABEL_CHARACTERS = 16;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const BAR_COLOUR = '#4c78a8';
const INK = '#222222';
const GRID = '#dddddd';

/** Characters XML 1.0 forbids (most C0 controls, lone surrogates, U+FFFE/FFFF) would make the file unreadable. */
const XML_FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for XML content and attribute values (labels come from user data, e.g. school names). */
export function escapeXml(text: string): string {
  return text
    .replace(XML_FORBIDDEN, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Coordinates with two decimals at most: small files, stable output. */
function coordinate(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function truncate(label: string): string {
  const characters = Array.from(label); // by code point, so no surrogate pair is split
  return characters.length <= MAX_LABEL_CHARACTERS
    ? label
    : `${characters.slice(0, MAX_LABEL_CHARACTERS - 1).join('')}…`;
}

/**
 * A standalone SVG bar chart of pass rates with 95% interval whiskers. Pure: the same input gives
 * the same bytes. A group without results gets no bar, only its label, "n = 0" and "no results".
 */
export function renderPassRateChartSvg(chart: PassRateChart): string {
  const slots = Math.max(1, chart.groups.length);
  // Wide enough for every bar and for the title (about 9 px a character at 16 px bold).
  const width = Math.ceil(
    Math.max(MIN_WIDTH, MARGIN.left + slots * SLOT + MARGIN.right, Array.from(chart.title).length * 9 + 40),
  );
  const slot = (width - MARGIN.left - MARGIN.right) / slots;
  const height = MARGIN.top + PLOT_HEIGHT + MARGIN.bottom;
  const plotLeft = MARGIN.left;
  const plotRight = width - MARGIN.right;
  const plotTop = MARGIN.top;
  const plotBottom = MARGIN.top + PLOT_HEIGHT;
  const y = (rate: number) => coordinate(plotBottom - Math.min(1, Math.max(0, rate)) * PLOT_HEIGHT);
  const title = escapeXml(chart.title);

  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title" font-family="${FONT}" font-size="12" fill="${INK}">`,
    `<title id="chart-title">${title}</title>`,
    `<text class="title" x="${coordinate(width / 2)}" y="28" text-anchor="middle" font-size="16" font-weight="bold">${title}</text>`,
  ];

  // Y axis: gridlines and ticks every 20 points, then the axis title.
  parts.push('<g class="y-axis">');
  for (let tick = 0; tick <= 100; tick += 20) {
    const ty = y(tick / 100);
    parts.push(
      `<line x1="${plotLeft}" y1="${ty}" x2="${plotRight}" y2="${ty}" stroke="${GRID}" stroke-width="1"/>`,
      `<line x1="${plotLeft - 5}" y1="${ty}" x2="${plotLeft}" y2="${ty}" stroke="${INK}" stroke-width="1"/>`,
      `<text class="tick" x="${plotLeft - 8}" y="${ty}" dy="0.32em" text-anchor="end">${tick}</text>`,
    );
  }
  parts.push(
    `<line x1="${plotLeft}" y1="${plotTop}" x2="${plotLeft}" y2="${plotBottom}" stroke="${INK}" stroke-width="1"/>`,
    `<text class="axis-title" x="20" y="${coordinate((plotTop + plotBottom) / 2)}" text-anchor="middle" transform="rotate(-90 20 ${coordinate((plotTop + plotBottom) / 2)})">Pass rate (%)</text>`,
    '</g>',
  );

  chart.groups.forEach((group, index) => {
    const centre = plotLeft + slot * (index + 0.5);
    const label = escapeXml(group.label);
    parts.push('<g class="group">');
    if (group.passRate.estimable) {
      const { estimate, ci95 } = group.passRate;
      const top = y(estimate);
      const description = `${group.label}: ${percent(estimate)} (95% CI ${percent(ci95[0])} to ${percent(ci95[1])}), ${group.passed} of ${group.n} passed`;
      parts.push(
        `<rect class="bar" x="${coordinate(centre - BAR_WIDTH / 2)}" y="${top}" width="${BAR_WIDTH}" height="${coordinate(plotBottom - Number(top))}" fill="${BAR_COLOUR}"><title>${escapeXml(description)}</title></rect>`,
        `<line class="whisker" x1="${coordinate(centre)}" y1="${y(ci95[0])}" x2="${coordinate(centre)}" y2="${y(ci95[1])}" stroke="${INK}" stroke-width="1.5"/>`,
        `<line class="whisker-cap" x1="${coordinate(centre - CAP_WIDTH / 2)}" y1="${y(ci95[0])}" x2="${coordinate(centre + CAP_WIDTH / 2)}" y2="${y(ci95[0])}" stroke="${INK}" stroke-width="1.5"/>`,
        `<line class="whisker-cap" x1="${coordinate(centre - CAP_WIDTH / 2)}" y1="${y(ci95[1])}" x2="${coordinate(centre + CAP_WIDTH / 2)}" y2="${y(ci95[1])}" stroke="${INK}" stroke-width="1.5"/>`,
        `<text class="value" x="${coordinate(centre)}" y="${coordinate(Number(y(ci95[1])) - 6)}" text-anchor="middle">${percent(estimate)}</text>`,
      );
    } else {
      parts.push(
        `<text class="no-data" x="${coordinate(centre)}" y="${plotBottom - 8}" text-anchor="middle" fill="#777777">no results</text>`,
      );
    }
    parts.push(
      `<text class="label" x="${coordinate(centre)}" y="${plotBottom + 20}" text-anchor="middle">${escapeXml(truncate(group.label))}<title>${label}</title></text>`,
      `<text class="n" x="${coordinate(centre)}" y="${plotBottom + 38}" text-anchor="middle" fill="#555555">n = ${group.n}</text>`,
      '</g>',
    );
  });

  parts.push(
    `<line class="x-axis" x1="${plotLeft}" y1="${plotBottom}" x2="${plotRight}" y2="${plotBottom}" stroke="${INK}" stroke-width="1"/>`,
  );
  if (chart.xAxisTitle) {
    parts.push(
      `<text class="axis-title" x="${coordinate((plotLeft + plotRight) / 2)}" y="${plotBottom + 60}" text-anchor="middle">${escapeXml(chart.xAxisTitle)}</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** The two bars of the crude comparison. */
export function comparisonChartGroups(comparison: TwoGroupComparison): PassRateChartGroup[] {
  return [
    { label: 'Recipients', ...comparison.recipients },
    { label: 'Non-recipients', ...comparison.nonRecipients },
  ];
}

/** One bar per months count. */
export function monthsChartGroups(byMonths: readonly MonthsPassRate[]): PassRateChartGroup[] {
  return byMonths.map((entry) => ({ ...entry, label: monthsLabel(entry.months) }));
}
