// Shared chart setup for the supervisor pages (ECharts, served from static/): bars per unit, turned horizontal when
// there are many units so every name stays readable, and resizing with the window. Pages load this file before
// their own script and pass their data from a json_script block.
(function () {
  "use strict";
  var charts = [];

  function unitBars(element, units, series, options) {
    if (!element || !window.echarts || !units.length) return null;
    options = options || {};
    var horizontal = units.length > 12;
    if (horizontal) element.style.height = (units.length * 26 + 90) + "px";
    var category = { type: "category", data: units, inverse: horizontal,
      axisLabel: horizontal ? { width: 150, overflow: "truncate" } : { interval: 0, rotate: units.length > 6 ? 40 : 0 } };
    var value = options.percent
      ? { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
      : { type: "value", minInterval: 1 };
    var chart = echarts.init(element);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: options.percent ? function (v) { return v == null ? "—" : v + "%"; } : undefined },
      legend: { data: series.map(function (s) { return s.name; }), top: 0 },
      grid: horizontal ? { left: 160, right: 30, top: 36, bottom: 30 } : { left: 40, right: 16, top: 36, bottom: 80 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      color: options.color,
      series: series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
    });
    charts.push(chart);
    return chart;
  }

  function track(chart) { if (chart) charts.push(chart); return chart; }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });

  window.SpbzCharts = { unitBars: unitBars, track: track };
})();
