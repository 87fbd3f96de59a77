// Compare page: "j"/"n" jumps to the next change, "k"/"p" to the previous one.
// Works without this script too: every change has an anchor in the table of contents.
(function () {
  "use strict";
  var changes = Array.prototype.slice.call(document.querySelectorAll("[data-change]"));
  if (!changes.length) return;

  function currentIndex() {
    var focused = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-change]") : null;
    if (focused) return changes.indexOf(focused);
    // Otherwise the first change whose top is below the top of the viewport, minus one.
    for (var i = 0; i < changes.length; i++) {
      if (changes[i].getBoundingClientRect().top > 8) return i - 1;
    }
    return changes.length - 1;
  }

  function go(step) {
    var next = Math.min(changes.length - 1, Math.max(0, currentIndex() + step));
    changes[next].focus({ preventScroll: true });
    changes[next].scrollIntoView({ block: "start" });
    if (history.replaceState) history.replaceState(null, "", "#" + changes[next].id);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = (event.target && event.target.tagName) || "";
    if (/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(tag) || event.target.isContentEditable) return;
    if (event.key === "j" || event.key === "n") { event.preventDefault(); go(1); }
    if (event.key === "k" || event.key === "p") { event.preventDefault(); go(-1); }
  });
})();
