// The charts of the page 好差评与大厅 (bars through static/js/charts.js): data from the json_script block
// "evaluation-chart-data" — bad grades overdue / in rectification / in all per unit, then the on-time rates.
(function () {
  "use strict";
  var source = document.getElementById("evaluation-chart-data");
  if (!source || !window.SpbzCharts) return;
  var data = JSON.parse(source.textContent);
  SpbzCharts.unitBars(document.getElementById("evaluation-bad-chart"), data.units, data.series,
    { color: ["#dc3545", "#ffc107", "#6c757d"] });
  SpbzCharts.unitBars(document.getElementById("evaluation-rates-chart"), data.units, data.rates, { percent: true });
})();
