/* Opinion pages: printing the slip, keyboard-only entry, and the import progress bar.
   Everything works without this file; it only saves keystrokes and reloads. */
(function () {
  "use strict";

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var form = document.querySelector(".entry-form");
  if (form) {
    // Ctrl+Enter (Cmd+Enter on a Mac) saves from any field, even the opinion's textarea.
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
    var invalid = form.querySelector("[aria-invalid=true]");
    if (invalid) { invalid.focus(); }

    var version = form.querySelector("#version");
    var count = form.querySelector("#article-count");
    if (version && count && version.dataset.articleCounts) {
      var counts = JSON.parse(version.dataset.articleCounts);
      var show = function () {
        var n = counts[version.value];
        count.textContent = n ? count.dataset.template.replace("{n}", n) : "";
      };
      version.addEventListener("change", show);
      show();
    }
  }

  var box = document.querySelector(".import-progress");
  if (box && box.dataset.finished !== "true") {
    var bar = box.querySelector("progress");
    var status = box.querySelector(".import-status");
    var poll = function () {
      fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          bar.value = data.percent;
          bar.textContent = data.percent + "%";
          if (data.finished) { window.location.reload(); return; }
          var template = box.dataset[data.phase];
          if (template) {
            status.textContent = template.replace("{done}", data.processed).replace("{total}", data.total || 0);
          }
          window.setTimeout(poll, 500);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 300);
  }
})();
