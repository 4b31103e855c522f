/**
 * The one layout every page uses, accessible by construction (WCAG 2.2 AA; axe-core checks each
 * page in tests/web): lang="en-GB", a skip link to the main content, landmarks (banner, main,
 * contentinfo), one h1 per page, visible focus, text that reflows at 320 px (no fixed widths,
 * nothing that scrolls sideways), colour never the only signal, and no JavaScript at all: every
 * page is a plain form that works in any browser.
 */
import { html, raw, type Html } from './html.js';

export interface PageContent {
  /** The page's h1 and the start of its <title>. */
  title: string;
  main: Html;
  /** HTTP status (a problem page answers 4xx). */
  status?: number;
}

/** The stylesheet, served at /assets/bragbot.css (a CSP without 'unsafe-inline'). */
export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;font-size:100%;line-height:1.5;color:#0b0c0c;background:#fff}
body{margin:0}
.skip{position:absolute;left:-999em;top:0;padding:.5rem 1rem;background:#fd0;color:#0b0c0c;z-index:10}
.skip:focus{left:0}
header,footer{background:#0b0c0c;color:#fff;padding:.75rem 1rem}
header p,footer p{margin:0;max-width:44rem;margin-inline:auto}
footer{background:#f3f2f1;color:#0b0c0c;margin-top:2rem}
main{display:block;max-width:44rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.3rem;margin:1.5rem 0 .5rem}
p,li,dd{overflow-wrap:anywhere}
a{color:#1d70b8}
a:visited{color:#4c2c92}
a:focus,button:focus,input:focus,textarea:focus,select:focus,summary:focus,main:focus-visible{outline:3px solid #fd0;outline-offset:0;box-shadow:0 0 0 5px #0b0c0c}
main:focus{outline:none}
dl{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:700}
dd{margin:0}
fieldset{border:0;padding:0;margin:1rem 0}
legend{font-weight:700;font-size:1.1rem;padding:0;margin-bottom:.5rem}
label{display:block;font-weight:700;margin:1rem 0 .25rem}
.hint{display:block;color:#505a5f;font-weight:400;margin:.25rem 0}
input[type=text],textarea{display:block;width:100%;max-width:100%;font:inherit;padding:.4rem;border:2px solid #0b0c0c;border-radius:0}
textarea{min-height:6rem}
.choices{display:flex;flex-wrap:wrap;gap:.5rem}
.choice{display:flex;align-items:center;gap:.4rem;border:2px solid #0b0c0c;padding:.4rem .6rem;font-weight:400;margin:0}
.choice input{width:1.4rem;height:1.4rem;margin:0}
button{font:inherit;font-weight:700;padding:.55rem 1rem;border:2px solid #0b0c0c;background:#00703c;color:#fff;cursor:pointer;margin:.5rem .5rem .5rem 0}
button.secondary{background:#f3f2f1;color:#0b0c0c}
button.warning{background:#d4351c;color:#fff}
.brag{display:inline-block;padding:0 .4rem;border:2px solid #0b0c0c;font-weight:700}
.brag-blue{background:#d2e2f1}.brag-green{background:#cce2d8}.brag-amber{background:#fff2cc}.brag-red{background:#f6d7d2}.brag-unrated{background:#f3f2f1}
.notice{border-left:6px solid #1d70b8;padding:.5rem 1rem;background:#f3f8fc;margin:1rem 0}
.notice.done{border-color:#00703c;background:#eef7f2}
.notice.problem{border-color:#d4351c;background:#fcf1ef}
.error{color:#d4351c;font-weight:700;display:block;margin:.25rem 0}
section.part{border-top:2px solid #b1b4b6;margin-top:1.5rem}
/* A mail's text in the demo mailbox: its line breaks kept, long links wrapped (no sideways scroll). */
.mail{white-space:pre-wrap;overflow-wrap:anywhere}
/* The plan page: one action per item; label beside value on a wide screen, above it on a phone. */
.plan-actions{list-style:none;padding:0;margin:1rem 0}
.plan-action{border-top:1px solid #b1b4b6;padding:.5rem 0 1rem}
.plan-action h3{font-size:1.1rem;margin:.5rem 0}
.plan-action dl{grid-template-columns:10rem minmax(0,1fr)}
@media (max-width:34rem){.plan-action dl{grid-template-columns:minmax(0,1fr);gap:0}.plan-action dd{margin-bottom:.5rem}}
.plan-glance{border-collapse:collapse;margin:1rem 0}
.plan-glance caption{text-align:left;font-weight:700}
.plan-glance th,.plan-glance td{text-align:left;padding:.25rem .75rem .25rem 0;border-bottom:1px solid #b1b4b6;font-weight:400}
.plan-glance thead th{font-weight:700}
`;

export function layout(c: PageContent): string {
  const page = html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${c.title} – bragbot</title>
<link rel="stylesheet" href="/assets/bragbot.css">
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header><p><strong>bragbot</strong> · action plans of the partnership</p></header>
<main id="main" tabindex="-1">
<h1>${c.title}</h1>
${c.main}
</main>
<footer><p>This page is for the person the link was sent to. Do not forward the message. Everything recorded here is kept, with who and when, as the plan's history.</p></footer>
</body>
</html>
`;
  return page.value;
}

export { html, raw };
