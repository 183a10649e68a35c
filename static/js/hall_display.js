/* The hall display: polls the JSON endpoint named in data-url every few seconds and redraws the latest calls and the
   waiting counts, without reloading the page. Plain script, no inline code (CSP), no CDN. */
(function () {
  "use strict";
  var root = document.getElementById("hall-display");
  if (!root) { return; }
  var url = root.getAttribute("data-url");
  var every = parseInt(root.getAttribute("data-interval") || "3000", 10);
  var calls = document.getElementById("display-calls");
  var groups = document.getElementById("display-groups");
  var status = document.getElementById("display-status");
  var clock = document.getElementById("display-clock");
  var emptyText = root.getAttribute("data-empty") || "";
  var windowSuffix = root.getAttribute("data-window-suffix") || "";

  function cell(text, cls) {
    var td = document.createElement("td");
    if (cls) { td.className = cls; }
    td.textContent = text;
    return td;
  }

  function drawCalls(rows) {
    while (calls.firstChild) { calls.removeChild(calls.firstChild); }
    if (!rows.length) {
      var tr = document.createElement("tr");
      var td = cell(emptyText);
      td.colSpan = 3;
      tr.appendChild(td);
      calls.appendChild(tr);
      return;
    }
    rows.forEach(function (row, i) {
      var tr = document.createElement("tr");
      if (i === 0) { tr.className = "is-latest"; }
      tr.setAttribute("data-number", row.number);
      tr.appendChild(cell(row.number, "display-number"));
      tr.appendChild(cell(row.window + windowSuffix));
      tr.appendChild(cell(row.called_at));
      calls.appendChild(tr);
    });
  }

  function drawGroups(rows) {
    while (groups.firstChild) { groups.removeChild(groups.firstChild); }
    rows.forEach(function (row) {
      var div = document.createElement("div");
      div.className = "display-group";
      div.setAttribute("data-prefix", row.prefix);
      var strong = document.createElement("strong");
      strong.textContent = row.waiting;
      div.appendChild(document.createTextNode(row.prefix + " " + row.name));
      div.appendChild(strong);
      groups.appendChild(div);
    });
  }

  function tick() {
    fetch(url, { headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        drawCalls(data.calls);
        drawGroups(data.groups);
        status.textContent = status.getAttribute("data-ok") + " " + new Date().toLocaleTimeString();
      })
      .catch(function () { status.textContent = status.getAttribute("data-failed"); })
      .then(function () { window.setTimeout(tick, every); });
  }

  function showClock() {
    if (clock) { clock.textContent = new Date().toLocaleTimeString(); }
  }

  showClock();
  window.setInterval(showClock, 1000);
  window.setTimeout(tick, every);
})();
