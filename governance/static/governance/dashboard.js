/* The dashboard's trend lines (Chart.js) and progress bars. The numbers are in the page as text
   (each chart's aria-label, the values and targets): this only draws them. No inline script:
   the data comes from the <script type="application/json" id="gov-trends"> block. */
(function () {
  "use strict";

  function progressBars() {
    document.querySelectorAll(".gov-progress[data-share]").forEach(function (bar) {
      var share = Math.max(0, Math.min(100, parseFloat(bar.dataset.share) || 0));
      var expected = Math.max(0, Math.min(100, parseFloat(bar.dataset.expected) || 0));
      bar.querySelector(".gov-progress-bar").style.width = share + "%";
      var marker = bar.querySelector(".gov-progress-expected");
      if (marker) { marker.style.left = "calc(" + expected + "% - 1px)"; }
    });
  }

  function charts() {
    var source = document.getElementById("gov-trends");
    if (!source || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var suffix = { hours: " h", percent: "%", count: "" };
    document.querySelectorAll("canvas[data-trend]").forEach(function (canvas) {
      var trend = data[canvas.dataset.trend];
      if (!trend) { return; }
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: trend.labels,
          datasets: [{
            data: trend.values,
            borderColor: "#0066cc",
            backgroundColor: "rgba(0, 102, 204, 0.12)",
            borderWidth: 2,
            fill: true,
            cubicInterpolationMode: "monotone",
            pointRadius: 2.5,
            pointBackgroundColor: "#0066cc",
            spanGaps: false
          }]
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          layout: { padding: { top: 4, right: 4 } },
          plugins: {
            legend: { display: false },
            tooltip: {
              displayColors: false,
              callbacks: {
                label: function (item) {
                  return item.formattedValue + (suffix[trend.unit] || "");
                }
              }
            }
          },
          scales: {
            x: { display: false },
            y: {
              beginAtZero: true,
              border: { display: false },
              grid: { color: "#e6e9f2" },
              ticks: { maxTicksLimit: 3, color: "#4a5a6a", font: { size: 10 }, precision: 0 }
            }
          }
        }
      });
    });
  }

  function start() { progressBars(); charts(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
