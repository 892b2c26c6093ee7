// The example site in a real browser: Debian's chromium driven by playwright-core,
// against a build of content/ served on 127.0.0.1 by the small static server below.
//
//   node --test tests/browser/          (tests/browser/run.sh builds the site first)
//
// JIANBAO_SITE names a built site to serve; without it the test builds content/ with
// target/release/jianbao (or target/debug/jianbao) into a temporary directory.
// Screenshots (home, a record, the gallery, search; 1280 and 390 px wide) are saved
// under target/screenshots/ for people to look at.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const shots = path.join(repo, "target", "screenshots");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const hasChromium = fs.existsSync(chromiumPath);
const skipAll = hasChromium
  ? false
  : `chromium not found at ${chromiumPath}: install Debian's chromium (apt-get install chromium fonts-noto-cjk) or set CHROMIUM; browser tests skipped`;
if (skipAll) console.log(`# SKIP ${skipAll}`);

let site, server, base, context, tmp;

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".json": "application/json",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".pdf": "application/pdf",
};

/// The static server: a path ending in `/` serves its index.html, anything missing the
/// site's 404.html with status 404; nothing outside the site root is reachable.
function serve(root) {
  return http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(root, path.normalize(rel));
    const inside = file.startsWith(root + path.sep);
    if (inside && fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      res.writeHead(301, { Location: rel + "/" }).end();
      return;
    }
    if (!inside || !fs.existsSync(file)) {
      const notFound = path.join(root, "404.html");
      res.writeHead(404, { "Content-Type": types[".html"] });
      res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : "not found");
      return;
    }
    const type = types[path.extname(file).toLowerCase()] || "application/octet-stream";
    res.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" });
    res.end(fs.readFileSync(file));
  });
}

function buildSite() {
  if (process.env.JIANBAO_SITE) return path.resolve(process.env.JIANBAO_SITE);
  const bin = ["release", "debug"]
    .map((p) => path.join(repo, "target", p, "jianbao"))
    .find((p) => fs.existsSync(p));
  assert.ok(bin, "no jianbao binary: run `cargo build --release` or set JIANBAO_SITE");
  const out = path.join(tmp, "public");
  const r = spawnSync(bin, ["build", "-c", path.join(repo, "content"), "-o", out], {
    encoding: "utf8",
  });
  assert.equal(r.status, 0, `jianbao build failed:\n${r.stderr}`);
  return out;
}

before(async () => {
  if (skipAll) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "jianbao-browser-"));
  site = buildSite();
  server = serve(site);
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import("playwright-core");
  // A persistent context is how playwright takes a --user-data-dir: a fresh one per run.
  context = await chromium.launchPersistentContext(path.join(tmp, "profile"), {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
    locale: "zh-CN",
  });
  fs.mkdirSync(shots, { recursive: true });
});

after(async () => {
  if (context) await context.close();
  if (server) await new Promise((ok) => server.close(ok));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/// A new page of the given width; JavaScript errors fail the test that opened it.
async function open(url, width = 1280) {
  const page = await context.newPage();
  await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.errors = errors;
  const response = await page.goto(base + url, { waitUntil: "load" });
  assert.ok(response && response.ok(), `${url}: HTTP ${response && response.status()}`);
  return page;
}

/// The first record page listed on a list page (`/minutes/`, `/plans/`).
async function aRecordUrl(list = "/minutes/") {
  const page = await open(list);
  const href = await page.locator(".entries .entry-title").first().getAttribute("href");
  await page.close();
  return href;
}

test("screenshots of home, a record, a plan, the gallery and search at 1280 and 390 px", { skip: skipAll }, async () => {
  const record = await aRecordUrl();
  const pages = [
    ["home", "/"],
    ["record", record],
    // A plan has a schedule table: it must scroll inside itself on a phone.
    ["plan", await aRecordUrl("/plans/")],
    ["gallery", "/gallery/"],
    ["search", "/search/?q=" + encodeURIComponent("曹阳")],
  ];
  for (const width of [1280, 390]) {
    for (const [name, url] of pages) {
      const page = await open(url, width);
      if (name === "search") await page.locator("#search-results li").first().waitFor();
      // Load the lazy images before the full-page shot.
      await page.evaluate(() =>
        Promise.all(
          Array.from(document.images, (img) => {
            img.loading = "eager";
            return img.complete ? null : new Promise((ok) => { img.onload = img.onerror = ok; });
          }),
        ),
      );
      const file = path.join(shots, `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      // Nothing may be wider than the screen: a phone would scroll sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width}px is ${overflow}px wider than the screen`);
      assert.deepEqual(page.errors, [], `${name}: JavaScript errors`);
      await page.close();
    }
  }
});

/// Types `query` into the header box of the home page, submits, and returns the titles
/// of the results on the search page.
async function searchFromHeader(query, width = 1280) {
  const page = await open("/", width);
  await page.locator(".site-search input[name=q]").fill(query);
  await Promise.all([page.waitForURL(/\/search\/\?q=/), page.locator(".site-search input[name=q]").press("Enter")]);
  await page.locator("#search-status:not(:empty)").waitFor();
  const titles = await page.locator("#search-results li > a").allTextContents();
  const status = await page.locator("#search-status").textContent();
  assert.deepEqual(page.errors, [], "JavaScript errors on the search page");
  await page.close();
  return { titles, status };
}

test("a two-character name finds that person's case first", { skip: skipAll }, async () => {
  const { titles } = await searchFromHeader("曹阳");
  assert.ok(titles.length > 1, "曹阳 appears in several records");
  assert.match(titles[0], /^曹阳：写在田埂上的督查报告/, `first result: ${titles[0]}`);
});

test("a four-character phrase of a body finds its record", { skip: skipAll }, async () => {
  // 前期论证 appears only in the body of 曹阳's research report.
  const { titles, status } = await searchFromHeader("前期论证", 390);
  assert.ok(
    titles.includes("关于乡村振兴专项督查中帮扶产业项目运营情况的调研报告"),
    `results: ${titles.join(" | ")} (${status})`,
  );
});

test("a mixed Chinese and ASCII query, in any case, finds its record", { skip: skipAll }, async () => {
  for (const q of ["政务服务App", "政务服务app", "App 志愿"]) {
    const { titles } = await searchFromHeader(q);
    assert.ok(titles.includes("董娜：下沉社区的“周末志愿者”"), `${q}: ${titles.join(" | ")}`);
  }
});

test("the search page narrows by kind as the reader types and picks", { skip: skipAll }, async () => {
  const page = await open("/search/");
  await page.locator("#search-form input[name=q]").pressSequentially("曹阳");
  await page.locator("#search-results li").first().waitFor();
  const all = await page.locator("#search-results li").count();
  await page.locator("#search-form select[name=kind]").selectOption("case");
  const cases = await page.locator("#search-results li").count();
  assert.ok(cases >= 1 && cases < all, `all ${all}, cases ${cases}`);
  assert.match(page.url(), /kind=case/, "the URL keeps the query");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a gallery filter click narrows the cards without leaving the page", { skip: skipAll }, async () => {
  const page = await open("/gallery/", 390);
  const visible = () => page.locator("#gallery-all > li:not([hidden])").count();
  const total = await visible();
  assert.ok(total > 1, "the gallery shows several cases");
  const link = page.locator('.gallery-filters a[data-filter="department"]').first();
  const expected = Number(await link.locator(".count").textContent());
  await link.click();
  assert.equal(new URL(page.url()).pathname, "/gallery/", "no navigation: filtered in place");
  assert.match(page.url(), /#department=/);
  assert.equal(await visible(), expected, "the link's count of cards is shown");
  assert.ok(expected < total);
  assert.equal(await link.getAttribute("aria-current"), "page");
  await page.locator('.gallery-filters a[data-filter=""]').click();
  assert.equal(await visible(), total, "全部案例 shows every card again");
  // The same filter page, pre-rendered for readers without JavaScript.
  const href = await link.getAttribute("href");
  const plain = await open(href, 390);
  assert.equal(await plain.locator(".gallery > li").count(), expected);
  assert.deepEqual(page.errors, []);
  await plain.close();
  await page.close();
});

test("the monthly briefing prints to an A4 PDF with the bulletin's name", { skip: skipAll }, async (t) => {
  const url = "/briefings/2026-03/";
  if (!fs.existsSync(path.join(site, "briefings", "2026-03", "index.html"))) {
    t.skip(`${url} is not in this build (the briefing pages are built on another branch)`);
    return;
  }
  const siteYaml = fs.readFileSync(path.join(repo, "content", "site.yaml"), "utf8");
  const name = (siteYaml.match(/^bulletin:\s*\n(?:\s+.*\n)*?\s+name:\s*(.+)$/m) || [])[1];
  assert.ok(name, "bulletin.name in content/site.yaml");
  const page = await open(url);
  const pdf = path.join(shots, "briefing-2026-03.pdf");
  await page.pdf({ path: pdf, format: "A4", printBackground: true, preferCSSPageSize: true });
  await page.close();
  assert.ok(fs.statSync(pdf).size > 0, "the PDF is not empty");
  const text = spawnSync("pdftotext", ["-l", "1", "-layout", pdf, "-"], { encoding: "utf8" });
  if (text.error) {
    t.diagnostic("pdftotext not available (apt-get install poppler-utils): text check skipped");
    return;
  }
  assert.ok(text.stdout.replace(/\s+/g, "").includes(name.trim().replace(/\s+/g, "")), `first page:\n${text.stdout}`);
});
