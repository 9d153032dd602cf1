// The goal page's progress chart (T-1): progress after each check-in against the ideal pace.
(function () {
  // Phones get fewer axis labels and narrower category names, recomputed when the chart's
  // width changes, and any labels that would still collide are hidden rather than overprinted.
  function narrow(el) { return el.clientWidth < 520; }
  function nameWidth(el) { return Math.max(72, Math.min(160, Math.round(el.clientWidth * 0.32))); }
  function onResize(el, chart, axes) {
    window.addEventListener('resize', function () {
      if (axes) chart.setOption(axes());
      chart.resize();
    });
  }
  function draw() {
    var el = document.getElementById('progress-chart');
    var data = document.getElementById('progress-data');
    if (!el || !data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    var chart = echarts.init(el, null, { renderer: 'svg' });
    var axes = function () {
      return { xAxis: { type: 'time', min: d.ideal[0][0], max: d.ideal[1][0], splitNumber: narrow(el) ? 3 : 6,
                        axisLabel: { hideOverlap: true } } };
    };
    chart.setOption(Object.assign(axes(), {
      animation: false,
      tooltip: { trigger: 'axis', valueFormatter: function (v) { return v + '%'; } },
      legend: { data: [d.labels.actual, d.labels.ideal], bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      yAxis: { type: 'value', min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); },
               axisLabel: { formatter: '{value}%' } },
      series: [
        { name: d.labels.actual, type: 'line', step: 'end', data: d.actual, symbolSize: 7,
          itemStyle: { color: '#2563eb' }, lineStyle: { width: 2 } },
        { name: d.labels.ideal, type: 'line', data: d.ideal, symbol: 'none',
          lineStyle: { type: 'dashed', color: '#9ca3af' }, itemStyle: { color: '#9ca3af' } }
      ]
    }));
    onResize(el, chart, axes);
    el.setAttribute('data-ready', '1');
  }
  // The HR board's lights per unit (T-5): one stacked bar per unit.
  function drawLights() {
    var el = document.getElementById('lights-chart');
    var data = document.getElementById('lights-data');
    if (!el || !data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    el.style.height = Math.max(160, 28 * d.units.length + 70) + 'px';
    var chart = echarts.init(el, null, { renderer: 'svg' });
    var bar = function (name, values, color) {
      return { name: name, type: 'bar', stack: 'lights', data: values, itemStyle: { color: color }, barMaxWidth: 18 };
    };
    var axes = function () {
      return { yAxis: { type: 'category', data: d.units, inverse: true,
                        axisLabel: { width: nameWidth(el), overflow: 'truncate' } } };
    };
    chart.setOption(Object.assign(axes(), {
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 8, bottom: 40, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      series: [bar(d.labels.red, d.red, '#e53e3e'), bar(d.labels.yellow, d.yellow, '#d69e2e'), bar(d.labels.green, d.green, '#38a169')]
    }));
    onResize(el, chart, axes);
    el.setAttribute('data-ready', '1');
  }
  // The my-goals and executive boards (T-5): each goal's progress in its light's colour, the
  // ideal pace as a line.
  function drawBars(chartId, dataId) {
    var el = document.getElementById(chartId);
    var data = document.getElementById(dataId);
    if (!el || !data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    var colors = { green: '#38a169', yellow: '#d69e2e', red: '#e53e3e' };
    el.style.height = Math.max(140, 34 * d.titles.length + 60) + 'px';
    var chart = echarts.init(el, null, { renderer: 'svg' });
    var axes = function () {
      return { yAxis: { type: 'category', data: d.titles, inverse: true,
                        axisLabel: { width: nameWidth(el), overflow: 'truncate' } } };
    };
    chart.setOption(Object.assign(axes(), {
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: function (v) { return v + '%'; } },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); },
               axisLabel: { formatter: '{value}%' } },
      series: [{
        name: d.labels.progress, type: 'bar', barMaxWidth: 16,
        data: d.progress.map(function (p, i) { return { value: p, itemStyle: { color: colors[d.lights[i]] || '#9ca3af' } }; }),
        markLine: { symbol: 'none', label: { position: 'start', formatter: d.labels.pace + ' {c}%' },
                    lineStyle: { type: 'dashed', color: '#4a5568' }, data: [{ xAxis: d.pace }] }
      }]
    }));
    onResize(el, chart, axes);
    el.setAttribute('data-ready', '1');
  }
  /** A calibration session's grades against the guideline: how many each grade has, and how
   * many the guideline would put there (the table below is the accessible view). */
  function drawDistribution() {
    var el = document.getElementById('distribution-chart');
    var data = document.getElementById('distribution-data');
    if (!el || !data || !window.echarts) return;
    var d = JSON.parse(data.textContent);
    var chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 48 },
      xAxis: { type: 'category', data: d.grades, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: d.labels.actual, type: 'bar', data: d.actual, itemStyle: { color: '#0b6e4f' } },
        { name: d.labels.expected, type: 'bar', data: d.expected, itemStyle: { color: '#9aa5b1' } },
      ],
    });
    onResize(el, chart, null);
    el.setAttribute('data-ready', '1');
  }
  function both() {
    draw(); drawLights(); drawDistribution();
    drawBars('my-goals-chart', 'my-goals-data'); drawBars('strategy-chart', 'strategy-data');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', both); else both();
})();
