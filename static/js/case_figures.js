// The charts of the page 办件与电子监察 (bars through static/js/charts.js): data from the json_script block
// "case-chart-data".
(function () {
  "use strict";
  var source = document.getElementById("case-chart-data");
  if (!source || !window.echarts || !window.SpbzCharts) return;
  var data = JSON.parse(source.textContent);
  var labels = data.labels;

  SpbzCharts.unitBars(document.getElementById("case-rates-chart"), data.units, [
    { name: labels.on_time, data: data.on_time },
    { name: labels.early, data: data.early }
  ], { percent: true });

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
    SpbzCharts.track(trend);
  }
})();
