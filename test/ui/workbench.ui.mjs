// What a person sees: the CIM NATS activity-bar entry opens the "Subject Algebra" view with the built-in
// CIM-Start algebra and its categories; a .nats file opens as a NATS Playbook.
// Usage (see scripts/harness/run-ui-tests.sh): node workbench.ui.mjs <serverUrl> <workspaceFolder> [extensionDevelopmentPath]
import { openFile, uiRun } from './lib.mjs';

await uiRun('workbench', 7, async ({ page, check, shot }) => {
  const entry = page.locator('.activitybar .action-item .action-label[aria-label^="CIM NATS"]').first();
  await entry.waitFor({ timeout: 30_000 });
  check('the activity bar has a CIM NATS entry', await entry.isVisible());
  await entry.click();

  const sidebar = page.locator('.part.sidebar');
  const title = sidebar.getByText(/subject algebra/i).first();
  await title.waitFor({ timeout: 30_000 });
  check('the side bar shows the Subject Algebra view', await title.isVisible(), (await title.innerText()).trim());

  const row = text => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  await row('CIM-Start').waitFor({ timeout: 30_000 });
  check('the view names the algebra in force: CIM-Start', await row('CIM-Start').isVisible(), (await row('CIM-Start').innerText()).replace(/\s+/g, ' '));
  const categories = ['Domain event', 'Command', 'Projection', 'Saga', 'Snapshot'];
  const missing = [];
  for (const c of categories) if (!(await row(c).isVisible())) missing.push(c);
  check('the view lists the five categories', missing.length === 0, missing.length ? `missing: ${missing.join(', ')}` : categories.join(', '));

  await row('Domain event').click();
  const stream = row('Stream DOMAIN_');
  await stream.waitFor({ timeout: 15_000 });
  check('a category opens to its tokens and its stream', await stream.isVisible(), (await stream.innerText()).replace(/\s+/g, ' '));
  // the activity bar's tooltip would hide rows in the picture: move away and let it fade
  await page.mouse.move(900, 600);
  await page.locator('.workbench-hover-container').first().waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
  await shot('subject-algebra-view.png');

  await openFile(page, 'orders.nats');
  check('orders.nats opens in an editor tab', true);
  const mode = page.locator('.statusbar-item[id="status.editor.mode"]');
  await mode.getByText('NATS Playbook').waitFor({ timeout: 15_000 }).catch(() => {});
  const modeText = (await mode.innerText().catch(() => '')).trim();
  check('the status bar shows the NATS Playbook language', modeText === 'NATS Playbook', modeText);
  await shot('nats-playbook.png');
});
