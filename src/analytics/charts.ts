/**
 * Charts as SVG rendered on the server with Apache ECharts (SSR mode, no DOM), so the
 * indicator pages work without JavaScript and print. Each chart draws one table's
 * numbers; the page shows the table next to it (colour is never the only cue).
 */
import * as echarts from 'echarts';

export interface BarChartInput {
  /** Accessible name of the chart (aria-label). */
  title: string;
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  width?: number;
  height?: number;
  /** Horizontal bars for long category names. */
  horizontal?: boolean;
}

/** Bootstrap Italia's primary blue and companions with enough contrast on white. */
const PALETTE = ['#0066cc', '#00805f', '#a66300', '#5c6f82', '#d9364f'];

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The page's Content-Security-Policy refuses inline styles, so the SVG goes without them:
 * the <style> block (hover rules only) is dropped and style="a:b" becomes the equivalent
 * SVG presentation attributes a="b" (ECharts sets only font properties there).
 */
export function cspSafe(svg: string): string {
  return svg
    .replace(/<style\b[\s\S]*?<\/style>/g, '')
    .replace(/\sstyle="([^"]*)"/g, (_m, css: string) =>
      css
        .split(';')
        .map((decl) => decl.split(':').map((x) => x.trim()))
        .filter(([k, v]) => /^[a-z-]+$/.test(k ?? '') && v)
        .map(([k, v]) => ` ${k}="${v.replace(/"/g, "'")}"`)
        .join(''),
    );
}

export function barChartSvg(input: BarChartInput): string {
  const width = input.width ?? 640;
  const height =
    input.height ?? Math.max(240, input.horizontal ? 40 + input.categories.length * 28 : 280);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    const category = {
      type: 'category' as const,
      data: input.categories,
      axisLabel: { fontSize: 12 },
    };
    const value = { type: 'value' as const, axisLabel: { fontSize: 12 } };
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'Titillium Web, Geneva, Tahoma, sans-serif' },
      grid: {
        left: input.horizontal ? 160 : 60,
        right: 24,
        top: input.series.length > 1 ? 36 : 16,
        bottom: 40,
      },
      legend: input.series.length > 1 ? { top: 0 } : undefined,
      xAxis: input.horizontal ? value : category,
      yAxis: input.horizontal ? category : value,
      series: input.series.map((s) => ({
        name: s.name,
        type: 'bar',
        data: s.values,
        label: { show: true, position: input.horizontal ? 'right' : 'top', fontSize: 11 },
        emphasis: { disabled: true },
      })),
    });
    const svg = cspSafe(chart.renderToSVGString());
    // Accessible name and role for the picture; the table beside it has the numbers.
    return svg.replace(
      /^<svg\b/,
      `<svg role="img" aria-label="${escapeAttr(input.title)}" focusable="false"`,
    );
  } finally {
    chart.dispose();
  }
}
