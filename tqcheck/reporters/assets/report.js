
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var current = null;
  function itemFor(mark) { return document.getElementById("item-" + mark.dataset.f); }
  function markOf(node) { return node && node.closest ? node.closest("mark.f") : null; }
  function hide() {
    if (current) {
      current.classList.remove("active");
      var source = itemFor(current);
      if (source) { source.classList.remove("active"); }
    }
    tip.hidden = true;
    current = null;
  }
  function show(mark) {
    var source = itemFor(mark);
    if (!source || mark.classList.contains("off")) { return; }
    hide();
    tip.textContent = "";
    var head = document.createElement("strong");
    head.textContent = source.dataset.rule + " " + source.dataset.name;
    var sev = document.createElement("span");
    sev.className = "tip-sev";
    sev.textContent = source.dataset.severity;
    var msg = document.createElement("p");
    msg.className = "tip-msg";
    msg.textContent = source.querySelector(".msg").textContent;
    tip.append(head, sev, msg);
    var fix = source.querySelector(".fix");
    if (fix) {
      var line = document.createElement("p");
      line.className = "tip-fix";
      line.textContent = fix.textContent;
      tip.append(line);
    }
    tip.hidden = false;
    var rect = mark.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var left = Math.min(rect.left, width - tip.offsetWidth - 8);
    tip.style.left = (window.scrollX + Math.max(8, left)) + "px";
    tip.style.top = (window.scrollY + rect.bottom + 6) + "px";
    current = mark;
    mark.classList.add("active");
    source.classList.add("active");
  }
  document.addEventListener("mouseover", function (event) {
    var mark = markOf(event.target);
    if (mark && mark !== current) { show(mark); }
  });
  document.addEventListener("mouseout", function (event) {
    var mark = markOf(event.target);
    if (mark && mark === current && !mark.contains(event.relatedTarget)) { hide(); }
  });
  document.addEventListener("focusin", function (event) {
    var mark = markOf(event.target);
    if (mark) { show(mark); }
  });
  document.addEventListener("focusout", function (event) {
    if (markOf(event.target)) { hide(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { hide(); }
  });
  document.addEventListener("click", function (event) {
    var chip = event.target.closest ? event.target.closest("button.chip") : null;
    if (chip) {
      var select = chip.dataset.filter === "rule" ? rule : category;
      select.value = select.value === chip.dataset.value ? "" : chip.dataset.value;
      apply();
      return;
    }
    var button = event.target.closest ? event.target.closest("button.goto") : null;
    if (!button) { return; }
    var mark = document.getElementById("m-" + button.dataset.f);
    if (mark) {
      mark.scrollIntoView({block: "center"});
      mark.focus({preventScroll: true});
    }
  });
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=severity]"));
  var rule = document.getElementById("filter-rule");
  var category = document.getElementById("filter-category");
  function apply() {
    var on = {};
    boxes.forEach(function (box) { on[box.value] = box.checked; });
    var shown = 0, total = 0;
    document.querySelectorAll("[data-f][data-severity]").forEach(function (el) {
      var ok = on[el.dataset.severity] &&
        (!rule.value || rule.value === el.dataset.rule) &&
        (!category.value || category.value === el.dataset.category);
      if (el.tagName === "MARK") {
        el.classList.toggle("off", !ok);
        if (el.hasAttribute("tabindex")) { el.tabIndex = ok ? 0 : -1; }
      } else {
        el.hidden = !ok;
        total += 1;
        if (ok) { shown += 1; }
      }
    });
    document.getElementById("shown").textContent = shown + " of " + total + " findings shown";
    hide();
  }
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  [rule, category].forEach(function (select) { select.addEventListener("change", apply); });
  document.getElementById("filter-reset").addEventListener("click", function () {
    boxes.forEach(function (box) { box.checked = true; });
    rule.value = "";
    category.value = "";
    apply();
  });
})();
