// The standard editor: add, remove and reorder rows of each list, keep their order fields in step, and warn before
// leaving with unsaved changes. Without this script the page still works: order numbers and delete boxes show.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var form = document.getElementById("editor-form");
  if (!form) return;
  var dirty = false;

  function rowsOf(prefix) {
    return document.querySelector('[data-rows="' + prefix + '"]');
  }

  function renumber(container) {
    var position = 0;
    container.querySelectorAll("[data-row]").forEach(function (row, index) {
      var number = row.querySelector(".row-number");
      if (number) number.textContent = "#" + (index + 1);
      var field = row.querySelector("input.row-position");
      if (field) field.value = position++;
    });
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var add = button.getAttribute("data-add-row");
    if (add) {
      var total = document.getElementById("id_" + add + "-TOTAL_FORMS");
      var template = document.querySelector('template[data-empty-row="' + add + '"]');
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var container = rowsOf(add);
      var empty = container.querySelector(".formset-empty");
      if (empty) empty.remove();
      container.insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      renumber(container);
      var first = container.lastElementChild.querySelector("input:not([type=hidden]):not(.row-position), select, textarea");
      if (first) first.focus();
      dirty = true;
      return;
    }
    var row = button.closest("[data-row]");
    if (!row) return;
    if (button.hasAttribute("data-remove-row")) {
      var box = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
      if (box) {
        box.checked = !box.checked;
        row.classList.toggle("row-removed", box.checked);
        button.classList.toggle("active", box.checked);
      }
      dirty = true;
    }
    var move = button.getAttribute("data-move");
    if (move === "up" && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (move === "down" && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    }
    if (move) {
      renumber(row.parentNode);
      button.focus();
      dirty = true;
    }
  });

  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-unsaved-warning") || "";
    }
  });
})();
