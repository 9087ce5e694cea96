// A chart of Chart.js (an established charting library), loaded only when a
// page draws one: the dashboard's chunk, not the workspace's. The canvas is
// an image with a label; the figures it draws are also in a table next to
// it, for screen readers and for printing.
import { useEffect, useRef } from 'preact/hooks';

let loading;
function library() {
  if (!loading) {
    loading = import('./chart_library.js').then((m) => m.Chart);
  }
  return loading;
}

// `config`: Chart.js's { type, data, options }; drawn again when it changes.
export function Chart({ config, label, height = 260 }) {
  const canvas = useRef(null);
  const chart = useRef(null);
  useEffect(() => {
    let live = true;
    library().then((ChartJs) => {
      if (!live || !canvas.current) return;
      if (chart.current) {
        chart.current.data = config.data;
        chart.current.options = config.options || {};
        chart.current.update('none');
      } else {
        chart.current = new ChartJs(canvas.current, {
          ...config,
          options: { animation: false, maintainAspectRatio: false, ...(config.options || {}) },
        });
      }
    });
    return () => { live = false; };
  }, [config]);
  useEffect(() => () => { if (chart.current) chart.current.destroy(); }, []);
  return (
    <div class="chart" style={{ height: `${height}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
