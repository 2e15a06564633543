// The analysts' desk: paste or upload articles, ask /v1/briefings, and check each key point in its source.
// No framework, no build step, no inline code: the page's CSP allows this file and same-origin requests only.
"use strict";

(function () {
  const KEY_STORAGE = "mojaz.apiKey";
  // What the engine's cleaning drops or collapses: whitespace, invisible marks, bidi controls, C0 controls.
  const SKIPPED = /[\s\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0000-\u001f\u007f]/;
  const SEPARATOR = /^[ \t]*---[ \t]*$/m;

  const $ = (id) => document.getElementById(id);
  const form = $("brief-form");
  const main = $("main");
  const state = { files: [], articles: new Map(), briefing: null, briefingText: "", lastCitation: null };

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  // ---- API key (only when the service asks for one) ----
  const authRequired = main.dataset.auth === "required";

  function storedKey() {
    try {
      return sessionStorage.getItem(KEY_STORAGE) || "";
    } catch (err) {
      return "";
    }
  }

  function showKeyField(show) {
    $("key-field").hidden = !show;
  }

  function takeKey() {
    const typed = $("api-key").value.trim();
    if (typed) {
      try {
        sessionStorage.setItem(KEY_STORAGE, typed);
      } catch (err) {
        // Storage off: the key still works for this page.
      }
      state.typedKey = typed;
      $("api-key").value = "";
      showKeyField(false);
    }
    return storedKey() || state.typedKey || "";
  }

  function headers(extra) {
    const all = Object.assign({}, extra || {});
    const key = authRequired ? takeKey() : "";
    if (key) all.Authorization = "Bearer " + key;
    return all;
  }

  function forgetKey() {
    try {
      sessionStorage.removeItem(KEY_STORAGE);
    } catch (err) {
      // nothing stored
    }
    state.typedKey = "";
    showKeyField(true);
  }

  // ---- messages ----
  function setStatus(text) {
    $("status").textContent = text;
  }

  function clearError() {
    $("error").replaceChildren();
  }

  function showError(message, details) {
    const box = $("error");
    const children = [el("p", { text: message })];
    if (details) children.push(el("p", { class: "details", dir: "ltr", lang: "en", text: details }));
    box.replaceChildren(...children);
    box.scrollIntoView({ block: "nearest" });
  }

  function arabicProblem(status, problem, retryAfter) {
    const detail = (problem && problem.detail) || "";
    const field = (problem && problem.field) || "";
    const types = ((problem && problem.errors) || []).map((e) => e.type || "");
    if (status === 0) return "تعذّر الاتصال بالخدمة. تحقّق من الشبكة ثم أعد المحاولة.";
    if (status === 401) return "مفتاح الواجهة مفقود أو غير صحيح. أدخل المفتاح ثم أعد المحاولة.";
    if (status === 413 || types.some((t) => t.endsWith("too_long"))) {
      return "المقالات أكبر من الحد الذي تقبله الخدمة. أرسل مقالات أقل عددًا أو أقصر نصًا.";
    }
    if (status === 503 || status === 429) {
      const wait = retryAfter ? " بعد " + retryAfter + " ثوانٍ" : " بعد قليل";
      return "الخدمة مشغولة الآن أو ما زالت تستعد. أعد المحاولة" + wait + ".";
    }
    if (status === 422) {
      if (/no Arabic text/i.test(detail)) return "لا يوجد نص عربي في المقالات. يُعدّ موجز ملخصاته من الأخبار العربية وحدها.";
      if (/unsupported file type/i.test(detail)) return "نوع الملف «" + field + "» غير مدعوم. الأنواع المقبولة: txt وhtml وjson وjsonl.";
      if (/duplicate id|same title and text/i.test(detail)) return "أحد المقالات مكرر. احذف النسخة الثانية ثم أعد المحاولة.";
      if (/UTF-8/.test(detail)) return "الملف «" + field + "» ليس نصًا بترميز UTF-8.";
      if (field.startsWith("max_words")) return "الطول المطلوب غير صالح.";
      if (field.startsWith("focus")) return "سؤال التركيز غير صالح.";
      return "تعذّر قراءة المقالات" + (field ? " (" + field + ")" : "") + ". راجع المدخلات ثم أعد المحاولة.";
    }
    if (status >= 500) return "حدث خطأ داخلي في الخدمة. أعد المحاولة، وإن تكرر فاذكر رقم الطلب لمن يشغّلها.";
    return "تعذّر إتمام الطلب (" + status + ").";
  }

  async function request(url, options) {
    let response;
    try {
      response = await fetch(url, Object.assign({ credentials: "same-origin" }, options));
    } catch (err) {
      return { ok: false, message: arabicProblem(0), details: String(err) };
    }
    if (response.ok) return { ok: true, response: response };
    let problem = null;
    try {
      problem = await response.json();
    } catch (err) {
      problem = null;
    }
    if (response.status === 401 && authRequired) forgetKey();
    const message = arabicProblem(response.status, problem, response.headers.get("Retry-After"));
    const details = problem
      ? [problem.detail, problem.request_id ? "request id: " + problem.request_id : ""].filter(Boolean).join(" — ")
      : "HTTP " + response.status;
    return { ok: false, message: message, details: details };
  }

  // ---- input: pasted text and files ----
  function pastedArticles(text) {
    const articles = [];
    const blocks = text.split(SEPARATOR);
    for (let i = 0; i < blocks.length; i++) {
      const lines = blocks[i].split(/\r?\n/);
      const first = lines.findIndex((line) => line.trim() !== "");
      if (first < 0) continue;
      const title = lines[first].trim();
      const body = lines.slice(first + 1).join("\n").trim();
      if (!body) {
        return { error: "المقال الملصق رقم " + (articles.length + 1) + " فيه سطر عنوان بلا نص بعده: «" + title + "»." };
      }
      articles.push({ title: title, text: body });
    }
    return { articles: articles };
  }

  function renderFiles() {
    const list = $("file-list");
    list.replaceChildren();
    state.files.forEach((article, index) => {
      const remove = el("button", { type: "button", class: "link", text: "احذف" });
      remove.setAttribute("aria-label", "احذف «" + article.title + "»");
      remove.addEventListener("click", () => {
        state.files.splice(index, 1);
        renderFiles();
        setStatus("حُذف مقال من القائمة.");
        $("files-input").focus();
      });
      const name = article.file ? el("span", { class: "help", dir: "auto", text: " — " + article.file }) : "";
      list.append(el("li", { "data-testid": "file-article" }, [el("span", { text: article.title || "(بلا عنوان)" }), name, " ", remove]));
    });
  }

  async function addFiles(fileList) {
    const files = Array.from(fileList || []);
    if (!files.length) return;
    clearError();
    const body = new FormData();
    for (const file of files) body.append("files", file, file.name);
    setStatus("جارٍ قراءة " + files.length + " ملف…");
    const result = await request("/v1/articles/parse", { method: "POST", body: body, headers: headers() });
    $("files-input").value = "";
    if (!result.ok) {
      setStatus("");
      showError(result.message, result.details);
      return;
    }
    const data = await result.response.json();
    state.files.push(...data.articles);
    renderFiles();
    setStatus("أضيف " + data.articles.length + " مقال من الملفات.");
  }

  function collectArticles() {
    const pasted = pastedArticles($("articles-input").value);
    if (pasted.error) return { error: pasted.error };
    const used = new Set();
    const unique = (id) => {
      let candidate = id;
      for (let n = 2; used.has(candidate); n++) candidate = id + "-" + n;
      used.add(candidate);
      return candidate;
    };
    const articles = [];
    pasted.articles.forEach((article, i) => articles.push({ id: unique("pasted-" + (i + 1)), title: article.title, text: article.text }));
    for (const file of state.files) {
      const article = { id: unique(file.id), title: file.title, text: file.text };
      for (const name of ["source", "url", "published_at"]) if (file[name]) article[name] = file[name];
      articles.push(article);
    }
    if (!articles.length) return { error: "الصق مقالًا واحدًا على الأقل أو أضف ملفًا." };
    return { articles: articles };
  }

  // ---- briefing ----
  async function brief(event) {
    event.preventDefault();
    clearError();
    const collected = collectArticles();
    if (collected.error) {
      showError(collected.error);
      $("articles-input").focus();
      return;
    }
    if (authRequired && !$("api-key").value.trim() && !storedKey() && !state.typedKey) {
      showKeyField(true);
      showError("أدخل مفتاح الواجهة أولًا.");
      $("api-key").focus();
      return;
    }
    const payload = { articles: collected.articles, format: "json" };
    const focus = $("focus-input").value.trim();
    if (focus) payload.focus = focus;
    const words = $("length-input").value;
    if (words) payload.max_words = Number(words);

    const submit = $("submit");
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    setStatus("جارٍ إعداد الموجز من " + collected.articles.length + " مقالات…");
    const result = await request("/v1/briefings", {
      method: "POST",
      headers: headers({ "Content-Type": "application/json", Accept: "application/json" }),
      body: JSON.stringify(payload),
    });
    submit.disabled = false;
    form.removeAttribute("aria-busy");
    if (!result.ok) {
      setStatus("");
      showError(result.message, result.details);
      if (authRequired && $("key-field").hidden === false) $("api-key").focus();
      return;
    }
    state.briefingText = await result.response.text();
    state.briefing = JSON.parse(state.briefingText);
    state.articles = new Map(collected.articles.map((a) => [a.id, a]));
    renderBriefing(state.briefing);
    setStatus("اكتمل الموجز: " + state.briefing.key_points.length + " نقاط رئيسية من " + state.briefing.articles.length + " مقالات.");
    $("headline").focus();
  }

  function renderBriefing(briefing) {
    const numbers = new Map(briefing.articles.map((article, i) => [article.id, i + 1]));
    const titles = new Map(briefing.articles.map((article) => [article.id, article.title]));
    $("headline").textContent = briefing.headline.text;
    const mode = briefing.mode === "extractive" ? "استخراجي (جمل من المقالات نفسها)" : "تجريدي واستخراجي";
    $("briefing-meta").textContent =
      "السؤال: " + briefing.focus + " · " + briefing.articles.length + " مقالات · " + briefing.word_count + " كلمة · الوضع: " + mode;

    const points = briefing.key_points.map((point, index) => {
      const sources = point.sources
        .filter((id) => numbers.has(id))
        .sort((a, b) => numbers.get(a) - numbers.get(b));
      const cites = sources.map((id) => {
        const button = el("button", {
          type: "button",
          class: "cite",
          "data-testid": "citation",
          "data-article-id": id,
          "data-point": String(index),
          text: String(numbers.get(id)),
        });
        button.setAttribute("aria-label", "المصدر " + numbers.get(id) + ": " + (titles.get(id) || "") + " — اعرض الجملة الداعمة");
        button.addEventListener("click", () => openCitation(point, id, button));
        return button;
      });
      return el("li", { "data-testid": "key-point", id: "point-" + index }, [
        el("p", { class: "point-text", text: point.text }),
        el("p", { class: "cites" }, [el("span", { class: "help", text: "المصادر: " }), ...cites]),
      ]);
    });
    $("key-points").replaceChildren(...points);

    const sources = briefing.articles.map((article) => {
      const open = el("button", { type: "button", class: "link source-title", text: article.title || article.id });
      open.addEventListener("click", () => openArticle(article.id, null, open));
      const meta = [article.source, dateText(article.published_at)].filter(Boolean).join(" · ");
      return el("li", { "data-testid": "source" }, [
        open,
        meta ? el("span", { class: "help", text: " — " + meta }) : "",
        el("p", { class: "summary", text: article.summary }),
      ]);
    });
    $("sources").replaceChildren(...sources);

    const warnings = briefing.warnings
      .filter((w) => !w.startsWith("extractive only: "))
      .map((w) => {
        const left = /^article (.+): no Arabic sentences found; left out$/.exec(w);
        const title = left && state.articles.get(left[1]) ? state.articles.get(left[1]).title : left && left[1];
        return el("li", { text: left ? "استُبعد المقال «" + title + "» لأنه لا يحوي جملًا عربية." : w, dir: left ? "rtl" : "auto" });
      });
    $("warnings").replaceChildren(...warnings);
    $("article-panel").hidden = true;
    $("markdown-fallback").hidden = true;
    $("results").hidden = false;
  }

  function dateText(iso) {
    if (!iso) return "";
    const parsed = new Date(iso);
    if (Number.isNaN(parsed.getTime())) return "";
    return parsed.toLocaleDateString("ar", { year: "numeric", month: "long", day: "numeric", numberingSystem: "latn" });
  }

  // ---- the cited article, its supporting sentence highlighted ----
  function squeeze(text) {
    let out = "";
    const at = [];
    for (let i = 0; i < text.length; i++) {
      if (!SKIPPED.test(text[i])) {
        out += text[i];
        at.push(i);
      }
    }
    return { out: out, at: at };
  }

  // Where the engine's cleaned sentence lies in the text as given: the cleaning only drops or collapses
  // spacing and invisible marks, so the sentence matches once both are compared without them.
  function locate(text, sentence) {
    const hay = squeeze(text);
    const needle = squeeze(sentence).out;
    if (!needle) return null;
    const found = hay.out.indexOf(needle);
    if (found < 0) return null;
    return { start: hay.at[found], end: hay.at[found + needle.length - 1] + 1 };
  }

  function openCitation(point, articleId, button) {
    const evidence = (point.evidence || []).find((e) => e.article_id === articleId);
    const sentence = evidence ? evidence.sentence : point.article_id === articleId ? point.text : null;
    openArticle(articleId, sentence, button);
  }

  function openArticle(articleId, sentence, opener) {
    const article = state.articles.get(articleId);
    const brief = state.briefing.articles.find((a) => a.id === articleId) || {};
    if (!article) return;
    state.lastCitation = opener;
    for (const current of document.querySelectorAll("[aria-current]")) current.removeAttribute("aria-current");
    opener.setAttribute("aria-current", "true");
    const panel = $("article-panel");
    $("article-title").textContent = article.title || brief.title || articleId;
    $("article-meta").textContent = [brief.source, dateText(brief.published_at)].filter(Boolean).join(" · ");
    const textBox = $("article-text");
    const note = $("article-note");
    note.textContent = "";
    let mark = null;
    if (sentence) {
      const range = locate(article.text, sentence);
      if (range) {
        mark = el("mark", { "data-testid": "evidence", tabindex: "-1", text: article.text.slice(range.start, range.end) });
        textBox.replaceChildren(article.text.slice(0, range.start), mark, article.text.slice(range.end));
      } else {
        mark = el("mark", { "data-testid": "evidence", tabindex: "-1", text: sentence });
        note.replaceChildren("الجملة الداعمة كما قرأها المحرك (لم تُعثر عليها حرفيًا في النص): ", mark);
        textBox.replaceChildren(article.text);
      }
    } else {
      textBox.replaceChildren(article.text);
    }
    panel.hidden = false;
    if (mark) {
      mark.scrollIntoView({ block: "center", inline: "nearest" });
      mark.focus({ preventScroll: true });
      setStatus("فُتح المقال «" + $("article-title").textContent + "»، والجملة الداعمة مظلّلة.");
    } else {
      panel.scrollTop = 0;
      panel.scrollIntoView({ block: "start" });
      $("article-title").focus({ preventScroll: true });
      setStatus("فُتح المقال «" + $("article-title").textContent + "».");
    }
  }

  function closeArticle() {
    $("article-panel").hidden = true;
    if (state.lastCitation && document.body.contains(state.lastCitation)) state.lastCitation.focus();
  }

  // ---- copy and downloads ----
  async function rendered(format) {
    return request("/v1/briefings/render?format=" + format, {
      method: "POST",
      headers: headers({ "Content-Type": "application/json" }),
      body: state.briefingText,
    });
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name, class: "visually-hidden" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function fileStem() {
    return "mojaz-" + new Date().toISOString().slice(0, 10);
  }

  async function copyMarkdown() {
    clearError();
    const result = await rendered("markdown");
    if (!result.ok) return showError(result.message, result.details);
    const text = await result.response.text();
    try {
      await navigator.clipboard.writeText(text);
      $("markdown-fallback").hidden = true;
      setStatus("نُسخ الموجز بصيغة Markdown.");
    } catch (err) {
      // No clipboard (plain http on the intranet): show the text, selected, to copy by hand.
      const box = $("markdown-text");
      box.value = text;
      $("markdown-fallback").hidden = false;
      box.focus();
      box.select();
      setStatus("تعذّر النسخ التلقائي؛ النص محدد في المربع أدناه فانسخه.");
    }
  }

  async function downloadHtml() {
    clearError();
    const result = await rendered("html");
    if (!result.ok) return showError(result.message, result.details);
    download(await result.response.blob(), fileStem() + ".html");
    setStatus("نُزّل الموجز بصيغة HTML.");
  }

  function downloadJson() {
    download(new Blob([state.briefingText], { type: "application/json" }), fileStem() + ".json");
    setStatus("نُزّل الموجز بصيغة JSON.");
  }

  // ---- wiring ----
  form.addEventListener("submit", brief);
  $("files-input").addEventListener("change", (event) => addFiles(event.target.files));
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    addFiles(event.dataTransfer.files);
  });
  $("close-article").addEventListener("click", closeArticle);
  $("back-to-point").addEventListener("click", closeArticle);
  $("article-panel").addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeArticle();
  });
  $("copy-markdown").addEventListener("click", copyMarkdown);
  $("download-html").addEventListener("click", downloadHtml);
  $("download-json").addEventListener("click", downloadJson);
  if (authRequired && !storedKey()) showKeyField(true);
})();
