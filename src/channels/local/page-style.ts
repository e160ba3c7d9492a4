// The playground page's CSS: plain, readable, 4.5:1 contrast, visible focus.
export const STYLE = `
:root {
  color-scheme: light;
  --ink: #1b1b1b; --quiet: #4f4f4f; --line: #c4c4c4; --page: #f2f2f4; --panel: #ffffff;
  --accent: #4f52b2; --accent-ink: #ffffff; --focus: #1a1d8f; --alert: #a4262c; --alert-bg: #fdf3f4;
  --mine: #f0eefa; --mine-ink: #4b2e83;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { background: var(--page); color: var(--ink); }
body { margin: 0; font: 15px/1.45 "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
a { color: #2f3190; }

body > header { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 12px 28px; padding: 14px 20px; background: var(--panel); border-bottom: 1px solid var(--line); }
body > header h1 { margin: 0; font-size: 20px; line-height: 1.25; }
body > .first-step { margin: 0; padding: 8px 20px; background: var(--panel); border-bottom: 1px solid var(--line); font-size: 14px; }
body > header .team { display: block; font-size: 14px; font-weight: normal; color: var(--quiet); }
.clock { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; margin: 0; padding: 0; border: 0; }
.clock .label { font-size: 13px; font-weight: 600; color: var(--quiet); }
.clock time { font-weight: 600; margin-right: 6px; font-variant-numeric: tabular-nums; }
.field { display: flex; flex-direction: column; gap: 2px; }
.field label { font-size: 13px; font-weight: 600; color: var(--quiet); }
select, input[type=text] { font: inherit; color: var(--ink); background: #fff; min-height: 34px; padding: 4px 8px; border: 1px solid #8a8a8a; border-radius: 4px; }
button { font: inherit; }
.btn { min-height: 34px; padding: 5px 12px; border: 1px solid #8a8a8a; border-radius: 4px; background: #fff; color: var(--ink); font-weight: 600; cursor: pointer; }
.btn:hover { background: #ececf4; }
.btn.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); }
.btn.primary:hover { background: #3f4296; }
.btn[aria-disabled=true] { cursor: progress; opacity: 0.8; }

main { display: grid; grid-template-columns: minmax(0, 1fr); gap: 16px; padding: 16px 20px 24px; }
@media (min-width: 1100px) { main { grid-template-columns: minmax(0, 1.1fr) minmax(0, 1.1fr) minmax(0, 0.8fr); } }
.pane { display: flex; flex-direction: column; min-width: 0; background: #fafafa; border: 1px solid var(--line); border-radius: 8px; }
.pane > h2 { margin: 0; padding: 10px 14px; font-size: 16px; border-bottom: 1px solid var(--line); background: var(--panel); border-radius: 8px 8px 0 0; }
.log { flex: 1 1 auto; display: flex; flex-direction: column; gap: 12px; padding: 12px; min-height: 200px; max-height: calc(100vh - 210px); overflow-y: auto; }
#chat-log { max-height: calc(100vh - 300px); }
.log:empty { display: none; }
.empty { margin: 12px; color: var(--quiet); }

.msg { margin: 0; }
.msg .meta { display: flex; flex-wrap: wrap; gap: 2px 8px; align-items: baseline; margin: 0 0 4px 2px; font-size: 12px; color: var(--quiet); }
.msg .meta .from { font-weight: 600; color: var(--ink); }
.msg .body { background: #fff; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; box-shadow: 0 1px 2px rgb(0 0 0 / 6%); }
.msg .body:focus-visible { outline-offset: 1px; }
.msg[aria-busy=true] .body { opacity: 0.7; }
.msg.ephemeral .body { border: 1px dashed #6b4fa6; background: var(--mine); }
.msg.ephemeral .only-you { font-weight: 600; color: var(--mine-ink); }
.msg .broken { padding: 10px 12px; color: var(--alert); white-space: pre-wrap; }
.notice { margin: 0; padding: 10px 12px; border: 1px solid var(--alert); border-left-width: 4px; border-radius: 8px; background: var(--alert-bg); color: var(--alert); }
.notice strong { display: block; }

.command { margin-top: auto; display: flex; flex-direction: column; gap: 4px; padding: 10px 12px 12px; border-top: 1px solid var(--line); background: var(--panel); border-radius: 0 0 8px 8px; }
.command label { font-size: 13px; font-weight: 600; color: var(--quiet); }
.command .row { display: flex; align-items: center; gap: 8px; }
.command .prefix { font-family: ui-monospace, Menlo, Consolas, monospace; color: var(--quiet); }
.command input { flex: 1 1 auto; min-width: 0; }

.mail { margin: 0; padding: 0 0 4px; }
.mail h3 { margin: 0 0 2px; font-size: 15px; }
.mail .meta { margin: 0 0 6px; font-size: 12px; color: var(--quiet); }
.mail pre { margin: 0 0 6px; padding: 8px 10px; background: #fff; border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; font: 13px/1.5 ui-monospace, "Cascadia Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; }

/* What adaptivecards.css would add, in Teams' light look. */
.ac-adaptiveCard { outline: none; }
.ac-textBlock p { margin: 0 0 6px; }
.ac-textBlock p:last-child { margin-bottom: 0; }
.ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 1.4em; }
.ac-pushButton { font: inherit; font-size: 14px; font-weight: 600; min-height: 32px; padding: 5px 12px; border: 1px solid #8a8a8a; border-radius: 4px; background: #fff; color: #242424; cursor: pointer; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ac-pushButton:hover { background: #ececf4; }
.ac-pushButton:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.ac-pushButton.style-positive { background: var(--accent); border-color: var(--accent); color: #fff; }
.ac-pushButton.style-positive:hover { background: #3f4296; }
.ac-pushButton.style-destructive { color: var(--alert); border-color: var(--alert); }
.ac-input { font: inherit; font-size: 14px; color: #242424; }
.ac-input.ac-textInput, .ac-input.ac-numberInput, .ac-input.ac-dateInput, .ac-input.ac-timeInput, .ac-input.ac-multichoiceInput { width: 100%; min-height: 32px; padding: 5px 8px; border: 1px solid #8a8a8a; border-radius: 4px; background: #fff; }
.ac-input.ac-textInput.ac-multiline { min-height: 72px; resize: vertical; }
.ac-input:focus-visible, .ac-input input:focus-visible { outline: 3px solid var(--focus); outline-offset: 1px; }
.ac-input.ac-input-validation-failed { border-color: var(--alert); }
.ac-input.ac-choiceSetInput-expanded input, .ac-input.ac-toggleInput input { accent-color: var(--accent); width: 18px; height: 18px; }
`;
