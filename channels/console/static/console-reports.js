// Reports page: draws the weekly charts with Chart.js from the JSON the page carries.
"use strict";
(function () {
  const source = document.getElementById("report-data");
  if (!source || !window.Chart) return;
  const report = JSON.parse(source.textContent);
  const weeks = report.weeks.map((w) => w.week);
  const palette = ["#00387a", "#2e7d32", "#b00020", "#ef6c00", "#6a1b9a"];
  window.consoleCharts = [];

  function series(canvas, kind, extra) {
    const names = JSON.parse(canvas.dataset.labels);
    const datasets = Object.keys(names).map((key, i) => ({
      label: names[key],
      data: report.weeks.map((w) => w[key]),
      backgroundColor: palette[i],
      borderColor: palette[i],
      spanGaps: true,
    }));
    return new window.Chart(canvas, {type: kind, data: {labels: weeks, datasets: datasets}, options: extra || {}});
  }

  const counts = {scales: {y: {beginAtZero: true, ticks: {precision: 0}}}};
  window.consoleCharts.push(series(document.getElementById("chart-requests"), "bar", counts));
  window.consoleCharts.push(series(document.getElementById("chart-times"), "line"));
  window.consoleCharts.push(series(document.getElementById("chart-satisfaction"), "line", {scales: {y: {min: 1, max: 5}}}));
  const outcomes = Object.keys(report.outcome_labels);
  window.consoleCharts.push(new window.Chart(document.getElementById("chart-outcomes"), {
    type: "bar",
    data: {
      labels: weeks,
      datasets: outcomes.map((code, i) => ({
        label: report.outcome_labels[code],
        data: report.weeks.map((w) => w.outcomes[code]),
        backgroundColor: palette[i % palette.length],
      })),
    },
    options: {scales: {x: {stacked: true}, y: {stacked: true, ticks: {precision: 0}}}},
  }));
})();
