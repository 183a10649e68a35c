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
    var chart = echarts.init(bars);
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { data: [labels.submission, labels.approval], top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 80 },
      xAxis: { type: "category", data: data.units, axisLabel: { interval: 0, rotate: data.units.length > 6 ? 40 : 0 } },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [
        {
          name: labels.submission, type: "bar", data: data.submission,
          markLine: {
            symbol: "none", silent: true, lineStyle: { color: "#dc3545", type: "dashed" },
            label: { formatter: labels.target, position: "insideEndTop" },
            data: [{ yAxis: 100 }]
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
      grid: { left: 40, right: 16, top: 36, bottom: 30 },
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
