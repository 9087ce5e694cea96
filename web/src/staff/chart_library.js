// The parts of Chart.js the dashboard draws with, registered once. Imported
// only through Chart.jsx's dynamic import, so that the bundler leaves the
// rest of the library out and puts this in a chunk of its own.
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export { Chart };
