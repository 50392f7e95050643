import { Caption1, makeStyles, tokens } from '@fluentui/react-components';
import { formatMonth } from './context.js';

/** Distinct colours from the Fluent palette; they follow the light, dark and high-contrast themes. */
export const SERIES_COLORS = [
  tokens.colorPaletteBlueBorderActive,
  tokens.colorPaletteDarkOrangeBorderActive,
  tokens.colorPaletteTealBorderActive,
  tokens.colorPaletteBerryBorderActive,
  tokens.colorPaletteMarigoldBorderActive,
  tokens.colorPalettePurpleBorderActive,
  tokens.colorPaletteGreenBorderActive,
  tokens.colorPaletteCranberryBorderActive,
  tokens.colorPaletteSteelBorderActive,
  tokens.colorPaletteLavenderBorderActive,
  tokens.colorPalettePinkBorderActive,
];

const useStyles = makeStyles({
  svg: { width: '100%', height: 'auto', display: 'block' },
  legend: {
    listStyle: 'none',
    margin: `${tokens.spacingVerticalS} 0 0`,
    padding: 0,
    display: 'flex',
    flexWrap: 'wrap',
    gap: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalL}`,
  },
  swatch: { display: 'inline-block', width: '12px', height: '12px', borderRadius: '2px', marginRight: '6px' },
});

/**
 * Incidents per type per month as stacked bars (SVG). The chart is an image for screen readers, with its summary
 * as the label; the numbers are in the table next to it.
 */
export function StackedBars(props: {
  months: readonly string[];
  types: readonly string[];
  counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  label: (type: string) => string;
  summary: string;
  lang: 'nl' | 'en';
}) {
  const { months, types, counts, label, summary, lang } = props;
  const styles = useStyles();
  const totals = months.map((m) => types.reduce((n, t) => n + (counts[m]?.[t] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const steps = max <= 5 ? max : 4;
  const W = 720;
  const H = 260;
  const left = 32;
  const bottom = 28;
  const top = 10;
  const plotH = H - bottom - top;
  const slot = (W - left) / Math.max(1, months.length);
  const bar = Math.min(44, slot * 0.6);
  return (
    <figure style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${W} ${H}`} className={styles.svg} role="img" aria-label={summary}>
        {Array.from({ length: steps + 1 }, (_, i) => {
          const v = Math.round((max / steps) * i);
          const y = top + plotH - (v / max) * plotH;
          return (
            <g key={`grid-${y}`}>
              <line x1={left} x2={W} y1={y} y2={y} stroke={tokens.colorNeutralStroke2} strokeWidth="1" />
              <text
                x={left - 6}
                y={y + 4}
                textAnchor="end"
                fontSize="11"
                fill={tokens.colorNeutralForeground3}
              >
                {v}
              </text>
            </g>
          );
        })}
        {months.map((m, i) => {
          const x = left + i * slot + (slot - bar) / 2;
          let y = top + plotH;
          return (
            <g key={m}>
              {types.map((t, k) => {
                const n = counts[m]?.[t] ?? 0;
                if (!n) return null;
                const h = (n / max) * plotH;
                y -= h;
                return (
                  <rect
                    key={t}
                    x={x}
                    y={y}
                    width={bar}
                    height={h}
                    fill={SERIES_COLORS[k % SERIES_COLORS.length]}
                  >
                    <title>{`${formatMonth(m, lang, 'long')} · ${label(t)}: ${n}`}</title>
                  </rect>
                );
              })}
              <text
                x={x + bar / 2}
                y={H - 10}
                textAnchor="middle"
                fontSize="11"
                fill={tokens.colorNeutralForeground2}
              >
                {formatMonth(m, lang).replace(/\s?\d{4}$/, '')}
              </text>
            </g>
          );
        })}
      </svg>
      <ul className={styles.legend} aria-hidden="true">
        {types.map((t, k) => (
          <li key={t}>
            <span
              className={styles.swatch}
              style={{ backgroundColor: SERIES_COLORS[k % SERIES_COLORS.length] }}
            />
            <Caption1>{label(t)}</Caption1>
          </li>
        ))}
      </ul>
    </figure>
  );
}
