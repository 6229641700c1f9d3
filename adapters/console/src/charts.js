// ECharts for the statistics page only: the core and just the chart types
// and components it draws, rendered to canvas. Imported by Statistics.vue
// alone, so it lands in that page's lazy chunk, never on the first page.
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, MarkLineComponent, CanvasRenderer]);

export { echarts };
