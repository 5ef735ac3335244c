// The dashboard's three charts, in a chunk of their own (with the chart library, @visx: SVG made by React, only the
// scale, shape, group and axis modules). Each is a <figure> with a title and a one-line summary in its caption, the
// SVG drawing (hidden from screen readers: it repeats the table), a legend that does not rely on colour alone
// (solid vs hatched fills, a dashed line with markers) and a data table for screen readers with every number.
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleBand, scaleLinear } from '@visx/scale';
import { Bar, LinePath } from '@visx/shape';
import { useId, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { DashboardView, DayCoverage, HiringFigures, WeekHours } from '../../api/dashboardTypes';
import { useI18n } from '../../i18n/I18nProvider';
import { statusLabel } from '../hiring/hiringText';
import { figure, longDate, longWeek, shortDate, shortWeek } from './dashboardText';

/** The width a chart is drawn at before (or without) a measurement. */
const DEFAULT_WIDTH = 560;

export function DashboardCharts({ view }: { view: DashboardView }) {
  const { t } = useI18n();
  const headingId = useId();
  return (
    <section className="dashboard-charts" aria-labelledby={headingId}>
      <h3 id={headingId} className="visually-hidden">
        {t('dashboard.charts')}
      </h3>
      {view.hiring ? <PipelineChart hiring={view.hiring} /> : null}
      {view.schedule ? <HoursChart weeks={view.schedule.hoursByWeek} /> : null}
      {view.schedule ? <CoverageChart days={view.schedule.coverage} /> : null}
    </section>
  );
}

/** The width of the element, following its size (ResizeObserver where the browser has it). */
function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    const measure = () => {
      const w = Math.floor(node.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(node);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** An id usable inside `url(#…)` (React's ids contain characters SVG references do not like). */
function useSvgId(prefix: string): string {
  return `${prefix}-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
}

function ChartFigure({
  testId,
  title,
  summary,
  legend,
  table,
  children,
  canvasRef,
}: {
  testId: string;
  title: string;
  summary: string;
  legend?: ReactNode;
  /** The data table: header cells and rows of cells, first cell a row header. */
  table: { head: string[]; rows: string[][] };
  children: ReactNode;
  canvasRef: RefObject<HTMLDivElement | null>;
}) {
  const titleId = useId();
  return (
    <figure className="chart card" aria-labelledby={titleId} data-testid={testId}>
      <figcaption className="chart__caption">
        <h4 id={titleId} className="chart__title">
          {title}
        </h4>
        <p className="muted small chart__summary">{summary}</p>
      </figcaption>
      <div className="chart__canvas" ref={canvasRef}>
        {children}
      </div>
      {legend ? (
        <ul className="chart__legend small" aria-hidden="true">
          {legend}
        </ul>
      ) : null}
      {/* The hidden box wraps the table: a table is never narrower than its content, so hiding the table itself
          would still widen the page on phones. */}
      <div className="visually-hidden">
        <table data-testid="chart-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              {table.head.map((cell) => (
                <th key={cell} scope="col">
                  {cell}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row[0]}>
                {row.map((cell, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={i}>{cell}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** The drawing: hidden from assistive technology, which reads the table instead. */
function Svg({ width, height, children }: { width: number; height: number; children: ReactNode }) {
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true" focusable="false" className="chart__svg">
      {children}
    </svg>
  );
}

// ---- the pipeline -------------------------------------------------------------------------------------------

function PipelineChart({ hiring }: { hiring: HiringFigures }) {
  const { t, tp, locale } = useI18n();
  const [ref, width] = useWidth<HTMLDivElement>();
  const rows = hiring.pipeline;
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  const labelWidth = Math.min(130, Math.round(width * 0.36));
  const barHeight = 26;
  const height = rows.length * barHeight + 8;
  const inner = Math.max(40, width - labelWidth - 40);
  const x = scaleLinear<number>({ domain: [0, Math.max(1, ...rows.map((r) => r.count))], range: [0, inner] });
  const y = scaleBand<string>({ domain: rows.map((r) => r.status), range: [4, height - 4], padding: 0.25 });

  return (
    <ChartFigure
      testId="chart-pipeline"
      title={t('dashboard.chart.pipeline.title')}
      summary={tp('dashboard.chart.pipeline.summary', total)}
      canvasRef={ref}
      table={{
        head: [t('dashboard.chart.pipeline.status'), t('dashboard.chart.pipeline.count')],
        rows: rows.map((r) => [statusLabel(t, r.status), figure(locale, r.count)]),
      }}
    >
      <Svg width={width} height={height}>
        {rows.map((r) => {
          const top = y(r.status) ?? 0;
          const length = x(r.count);
          return (
            <g key={r.status} data-status={r.status}>
              <text x={labelWidth - 8} y={top + y.bandwidth() / 2} className="chart__label" textAnchor="end" dominantBaseline="middle">
                {statusLabel(t, r.status)}
              </text>
              <Bar x={labelWidth} y={top} width={Math.max(length, r.count > 0 ? 2 : 0)} height={y.bandwidth()} className="chart__bar" />
              <text x={labelWidth + length + 6} y={top + y.bandwidth() / 2} className="chart__value" dominantBaseline="middle">
                {figure(locale, r.count)}
              </text>
            </g>
          );
        })}
      </Svg>
    </ChartFigure>
  );
}

// ---- hours per week -----------------------------------------------------------------------------------------

const MARGIN = { top: 12, right: 12, bottom: 28, left: 40 };

function HoursChart({ weeks }: { weeks: WeekHours[] }) {
  const { t, locale } = useI18n();
  const [ref, width] = useWidth<HTMLDivElement>();
  const height = 220;
  const innerWidth = Math.max(60, width - MARGIN.left - MARGIN.right);
  const innerHeight = height - MARGIN.top - MARGIN.bottom;
  const top = Math.max(1, ...weeks.flatMap((w) => [w.scheduledHours, w.contractedHours]));
  const x = scaleBand<string>({ domain: weeks.map((w) => w.isoWeek), range: [0, innerWidth], padding: 0.3 });
  const y = scaleLinear<number>({ domain: [0, top * 1.1], range: [innerHeight, 0], nice: true });
  const center = (w: WeekHours) => (x(w.isoWeek) ?? 0) + x.bandwidth() / 2;
  const current = weeks[weeks.length - 1];
  const n = (v: number) => figure(locale, v);

  return (
    <ChartFigure
      testId="chart-hours"
      title={t('dashboard.chart.hours.title')}
      summary={t('dashboard.chart.hours.summary', {
        scheduled: n(current?.scheduledHours ?? 0),
        contracted: n(current?.contractedHours ?? 0),
      })}
      canvasRef={ref}
      legend={
        <>
          <li>
            <svg width="18" height="12" aria-hidden="true">
              <rect width="18" height="12" className="chart__bar" />
            </svg>
            {t('dashboard.chart.hours.scheduled')}
          </li>
          <li>
            <svg width="26" height="12" aria-hidden="true">
              <line x1="0" y1="6" x2="26" y2="6" className="chart__line" />
              <rect x="9" y="2" width="8" height="8" className="chart__marker" transform="rotate(45 13 6)" />
            </svg>
            {t('dashboard.chart.hours.contracted')}
          </li>
        </>
      }
      table={{
        head: [t('dashboard.chart.hours.week'), t('dashboard.chart.hours.scheduled'), t('dashboard.chart.hours.contracted')],
        rows: weeks.map((w) => [longWeek(t, w.isoWeek), n(w.scheduledHours), n(w.contractedHours)]),
      }}
    >
      <Svg width={width} height={height}>
        <Group left={MARGIN.left} top={MARGIN.top}>
          <AxisLeft
            scale={y}
            numTicks={4}
            tickFormat={(v) => n(Number(v))}
            tickLabelProps={{ className: 'chart__tick', textAnchor: 'end', dx: -2, dy: 3 }}
            stroke="currentColor"
            tickStroke="currentColor"
          />
          {weeks.map((w) => (
            <Bar
              key={w.isoWeek}
              x={x(w.isoWeek) ?? 0}
              y={y(w.scheduledHours)}
              width={x.bandwidth()}
              height={Math.max(0, innerHeight - y(w.scheduledHours))}
              className="chart__bar"
              data-week={w.isoWeek}
            />
          ))}
          <LinePath data={weeks} x={center} y={(w) => y(w.contractedHours)} className="chart__line" />
          {weeks.map((w) => (
            <rect
              key={`m-${w.isoWeek}`}
              x={center(w) - 4}
              y={y(w.contractedHours) - 4}
              width={8}
              height={8}
              className="chart__marker"
              transform={`rotate(45 ${center(w)} ${y(w.contractedHours)})`}
            />
          ))}
          <AxisBottom
            top={innerHeight}
            scale={x}
            tickFormat={(v) => shortWeek(t, String(v))}
            tickLabelProps={{ className: 'chart__tick', textAnchor: 'middle' }}
            stroke="currentColor"
            tickStroke="currentColor"
          />
        </Group>
      </Svg>
    </ChartFigure>
  );
}

// ---- coverage of the next days ------------------------------------------------------------------------------

function CoverageChart({ days }: { days: DayCoverage[] }) {
  const { t, locale } = useI18n();
  const [ref, width] = useWidth<HTMLDivElement>();
  const hatch = useSvgId('open');
  const height = 200;
  const margin = { top: 18, right: 8, bottom: 28, left: 8 };
  const innerWidth = Math.max(60, width - margin.left - margin.right);
  const innerHeight = height - margin.top - margin.bottom;
  const x = scaleBand<string>({ domain: days.map((d) => d.date), range: [0, innerWidth], padding: 0.25 });
  const y = scaleLinear<number>({ domain: [0, Math.max(1, ...days.map((d) => d.slots))], range: [innerHeight, 0] });
  const slots = days.reduce((s, d) => s + d.slots, 0);
  const open = days.reduce((s, d) => s + d.open, 0);
  const n = (v: number) => figure(locale, v);

  return (
    <ChartFigure
      testId="chart-coverage"
      title={t('dashboard.chart.coverage.title')}
      summary={t('dashboard.chart.coverage.summary', { open: n(open), slots: n(slots) })}
      canvasRef={ref}
      legend={
        <>
          <li>
            <svg width="18" height="12" aria-hidden="true">
              <rect width="18" height="12" className="chart__filled" />
            </svg>
            {t('dashboard.chart.coverage.filled')}
          </li>
          <li>
            <svg width="18" height="12" aria-hidden="true">
              <defs>
                <HatchPattern id={`${hatch}-legend`} />
              </defs>
              <rect x="0.5" y="0.5" width="17" height="11" fill={`url(#${hatch}-legend)`} className="chart__open" />
            </svg>
            {t('dashboard.chart.coverage.open')}
          </li>
        </>
      }
      table={{
        head: [
          t('dashboard.chart.coverage.day'),
          t('dashboard.chart.coverage.slots'),
          t('dashboard.chart.coverage.filled'),
          t('dashboard.chart.coverage.open'),
        ],
        rows: days.map((d) => [longDate(locale, d.date), n(d.slots), n(d.filled), n(d.open)]),
      }}
    >
      <Svg width={width} height={height}>
        <defs>
          <HatchPattern id={hatch} />
        </defs>
        <Group left={margin.left} top={margin.top}>
          {days.map((d) => {
            const left = x(d.date) ?? 0;
            const filledTop = y(d.filled);
            const openTop = y(d.filled + d.open);
            return (
              <g key={d.date} data-date={d.date}>
                <Bar x={left} y={filledTop} width={x.bandwidth()} height={Math.max(0, innerHeight - filledTop)} className="chart__filled" />
                {d.open > 0 ? (
                  <Bar
                    x={left + 0.75}
                    y={openTop + 0.75}
                    width={Math.max(0, x.bandwidth() - 1.5)}
                    height={Math.max(0, filledTop - openTop - 1.5)}
                    fill={`url(#${hatch})`}
                    className="chart__open"
                  />
                ) : null}
                <text x={left + x.bandwidth() / 2} y={openTop - 4} textAnchor="middle" className="chart__value">
                  {d.slots > 0 ? `${n(d.filled)}/${n(d.slots)}` : '–'}
                </text>
              </g>
            );
          })}
          <AxisBottom
            top={innerHeight}
            scale={x}
            tickFormat={(v) => shortDate(locale, String(v))}
            tickLabelProps={{ className: 'chart__tick', textAnchor: 'middle' }}
            stroke="currentColor"
            tickStroke="currentColor"
          />
        </Group>
      </Svg>
    </ChartFigure>
  );
}

/** Diagonal stripes: open slots differ from filled ones by their fill pattern, not only by colour. */
function HatchPattern({ id }: { id: string }) {
  return (
    <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" className="chart__hatch-bg" />
      <line x1="0" y1="0" x2="0" y2="6" className="chart__hatch" />
    </pattern>
  );
}
