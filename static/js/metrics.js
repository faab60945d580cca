// The officer dashboard's two charts, drawn with the vendored Chart.js from the data
// island the page renders (json_script "metrics-charts"); the same figures are in the
// tables beside each chart, so nothing is lost without JavaScript.
(function () {
  "use strict";

  function hideUnless(canvas, shown) {
    if (canvas && !shown) {
      canvas.closest("figure").hidden = true;
    }
  }

  function draw() {
    var island = document.getElementById("metrics-charts");
    if (!island || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(island.textContent);
    // The page puts the labels in its own language beside the figures.
    var words = data.labels || {};
    var heldLabel = words.sessions_held || "Sessions held";
    var hoursLabel = words.contact_hours || "Contact hours";
    var weekly = document.getElementById("weekly-chart");
    // An empty chart is a blank box: the table beside it says there is nothing yet.
    hideUnless(weekly, data.weekly.length);
    if (weekly && data.weekly.length) {
      new window.Chart(weekly, {
        data: {
          // A week the small-count rule hides has no bar; its label says why ("<5").
          labels: data.weekly.map(function (w) {
            return w.hidden ? w.week + " (" + w.hidden + ")" : w.week;
          }),
          datasets: [
            {
              type: "bar",
              label: heldLabel,
              data: data.weekly.map(function (w) { return w.sessions_held; }),
              yAxisID: "sessions",
              backgroundColor: "#3b6fb6"
            },
            {
              type: "line",
              label: hoursLabel,
              data: data.weekly.map(function (w) { return w.contact_hours; }),
              yAxisID: "hours",
              borderColor: "#c26d1a",
              backgroundColor: "#c26d1a"
            }
          ]
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          scales: {
            sessions: { type: "linear", position: "left", beginAtZero: true,
                        title: { display: true, text: heldLabel } },
            hours: { type: "linear", position: "right", beginAtZero: true,
                     grid: { drawOnChartArea: false },
                     title: { display: true, text: hoursLabel } }
          }
        }
      });
    }
    var cohort = document.getElementById("cohort-chart");
    var retained = data.cohorts.some(function (c) { return c.retention !== null; });
    hideUnless(cohort, retained);
    if (cohort && retained) {
      new window.Chart(cohort, {
        type: "bar",
        data: {
          labels: data.cohorts.map(function (c) { return c.week; }),
          datasets: [{
            label: words.retention || "Retention (%)",
            data: data.cohorts.map(function (c) {
              return c.retention === null ? null : Math.round(c.retention * 1000) / 10;
            }),
            backgroundColor: "#2f8f5b"
          }]
        },
        options: {
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { beginAtZero: true, max: 100, title: { display: true, text: "%" } } }
        }
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
