// The charts of the page 办件与电子监察 (ECharts, served from static/): data from the json_script block "case-chart-data".
(function () {
  "use strict";
  var source = document.getElementById("case-chart-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var charts = [];
  var percent = function (v) { return v == null ? "—" : v + "%"; };

  var bars = document.getElementById("case-rates-chart");
  if (bars && data.units.length) {
    var horizontal = data.units.length > 12;
    if (horizontal) bars.style.height = (data.units.length * 26 + 90) + "px";
    var category = { type: "category", data: data.units, inverse: horizontal,
      axisLabel: horizontal ? { width: 150, overflow: "truncate" } : { interval: 0, rotate: data.units.length > 6 ? 40 : 0 } };
    var value = { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } };
    var chart = echarts.init(bars);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: percent },
      legend: { data: [labels.on_time, labels.early], top: 0 },
      grid: horizontal ? { left: 160, right: 30, top: 36, bottom: 30 } : { left: 40, right: 16, top: 36, bottom: 80 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: [
        { name: labels.on_time, type: "bar", data: data.on_time },
        { name: labels.early, type: "bar", data: data.early }
      ]
    });
    charts.push(chart);
  }

  var line = document.getElementById("case-trend-chart");
  if (line) {
    var trend = echarts.init(line);
    trend.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [labels.red, labels.yellow, labels.open_overdue], top: 0 },
      grid: { left: 40, right: 36, top: 36, bottom: 30 },
      xAxis: { type: "category", data: data.trend.dates, boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      color: ["#dc3545", "#ffc107", "#6f42c1"],
      series: [
        { name: labels.red, type: "line", data: data.trend.red, showSymbol: true },
        { name: labels.yellow, type: "line", data: data.trend.yellow, showSymbol: true },
        { name: labels.open_overdue, type: "line", data: data.trend.open_overdue, showSymbol: true }
      ]
    });
    charts.push(trend);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
