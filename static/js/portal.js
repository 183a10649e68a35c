// Behaviour shared by every page, attached through data attributes so no page needs an inline script (CSP).
(function () {
  "use strict";

  // <form data-confirm="…">: ask before destructive submissions.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) {
      event.preventDefault();
    }
  });

  // <input type="checkbox" data-check-all="name">: toggles every checkbox of that name.
  document.addEventListener("change", function (event) {
    var box = event.target;
    var name = box.getAttribute && box.getAttribute("data-check-all");
    if (!name) return;
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (other) {
      other.checked = box.checked;
    });
  });

  // <select data-autosubmit>: apply a filter as soon as it changes.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.submit();
    }
  });
  // <input list="…" data-department-search="URL" data-division="code">: fill its <datalist> with the departments
  // whose name holds the typed text (catalogue.department_filter); the browser's own list does the keyboard part.
  var searchTimer = null;
  document.addEventListener("input", function (event) {
    var input = event.target;
    var url = input.getAttribute && input.getAttribute("data-department-search");
    var list = url && input.list;
    if (!list) return;
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(function () {
      var text = input.value.trim();
      if (!text) return;
      var query = "?q=" + encodeURIComponent(text);
      var division = input.getAttribute("data-division");
      if (division) query += "&division=" + encodeURIComponent(division);
      fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.results.forEach(function (row) {
            var option = document.createElement("option");
            option.value = row.name;
            option.label = row.division ? row.name + "（" + row.division + "）" : row.name;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 200);
  });
})();
