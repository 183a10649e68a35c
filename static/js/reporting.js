// The dashboard's charts (ECharts, served from static/): data comes from the json_script block "chart-data".
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var charts = [];

  var bars = document.getElementById("rates-chart");
  if (bars && data.units.length) {
    // Many units (a county's departments): horizontal bars, one row each, so every name stays readable.
    var horizontal = data.units.length > 12;
    if (horizontal) bars.style.height = (data.units.length * 26 + 90) + "px";
    var category = { type: "category", data: data.units, inverse: horizontal,
      axisLabel: horizontal ? { width: 150, overflow: "truncate" } : { interval: 0, rotate: data.units.length > 6 ? 40 : 0 } };
    var value = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
    var target = horizontal ? { xAxis: 100 } : { yAxis: 100 };
    var chart = echarts.init(bars);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { data: [labels.submission, labels.approval], top: 0 },
      grid: horizontal ? { left: 160, right: 30, top: 36, bottom: 30 } : { left: 40, right: 16, top: 36, bottom: 80 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [
        {
          name: labels.submission, type: "bar", data: data.submission,
          markLine: {
            symbol: "none", silent: true, lineStyle: { color: "#dc3545", type: "dashed" },
            label: { formatter: labels.target, position: "insideEndTop" },
            data: [target]
          }
        },
        { name: labels.approval, type: "bar", data: data.approval }
      ]
    });
    charts.push(chart);
  }

  var line = document.getElementById("trend-chart");
  if (line) {
    var trend = echarts.init(line);
    trend.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { data: [labels.submission, labels.approval], top: 0 },
      grid: { left: 40, right: 36, top: 36, bottom: 30 },
      xAxis: { type: "category", data: data.trend.dates, boundaryGap: false },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        { name: labels.submission, type: "line", data: data.trend.submission, showSymbol: true },
        { name: labels.approval, type: "line", data: data.trend.approval, showSymbol: true }
      ]
    });
    charts.push(trend);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
