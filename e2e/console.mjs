#!/usr/bin/env node
// The admin console (区综治中心的配置) in a real Chromium against `npm start` in demo mode: the
// district admin (demo persona) opens 事项分类与时限, a category with its switch and 常用语 (a
// template added from the keyboard: Enter in the last field saves), 职能部门 (a department added
// with Enter and renamed), and 分派规则; a street admin sees the same pages read-only.
// The console's forms are the app's building blocks (components/fields.tsx, buttons.tsx).
// Screenshots: test-output/screenshots/console-*.png.
import { browserRun, pickOption, startServer, visible } from './harness.mjs'

async function main() {
  const server = await startServer()
  const { base } = server
  const run = await browserRun({ prefix: 'console' })
  const { newPhone, shoot, step } = run
  const stamp = Date.now().toString(36)
  let code = 1
  try {
    const page = await newPhone()
    const v = visible(page)
    const signIn = (persona, redirect) => `${base}/#/packages/auth/sign-in/index?${new URLSearchParams({ persona, redirect })}`

    await step('the district admin opens 事项分类与时限: categories by kind, each opens its page', async () => {
      await page.goto(signIn('district_admin', '/packages/console/categories/index'))
      await visible(page).locator('.demo-sign-in').click()
      await page.waitForURL(/packages\/console\/categories/)
      await v.locator('.category-new').waitFor()
      await v.locator('.category-sanitation').waitFor()
      await shoot(page, 'categories')
    })

    await step('a category: name, limits in working hours, the 启用 switch and its 常用语', async () => {
      await v.locator('.category-sanitation').click()
      await page.waitForURL(/packages\/console\/category/)
      await v.locator('.input-name input').waitFor()
      if ((await v.locator('.active-switch').count()) !== 1) throw new Error('the category page has no 启用 switch (.active-switch)')
      await v.locator('.reply-templates-card').waitFor()
      await shoot(page, 'category', { fullPage: true })
    })

    await step('a 常用语 is added from the keyboard: Enter in 内容 saves it', async () => {
      const title = `已处理${stamp}`
      await v.locator('.input-title input').fill(title)
      await v.locator('.input-body input').fill('您反映的{问题类别}问题（{工单编号}）已处理完毕。')
      await v.locator('.input-body input').press('Enter')
      await v.locator('.reply-template-row', { hasText: title }).waitFor()
      await v.getByRole('button', { name: `删除常用语 ${title}` }).waitFor()
      await shoot(page, 'reply-template-added', { fullPage: true })
    })

    await step('职能部门: a department added with Enter, then renamed', async () => {
      await page.goto(`${base}/#/packages/console/departments/index`)
      await page.waitForURL(/packages\/console\/departments/)
      const dept = `e2e_${stamp}`
      await v.locator('.input-code input').fill(dept)
      await v.locator('.input-name input').fill(`测试部门${stamp}`)
      await v.locator('.input-name input').press('Enter')
      const row = v.locator(`.department-${dept}`)
      await row.waitFor()
      await shoot(page, 'department-added')
      await row.getByRole('button', { name: `改名：测试部门${stamp}` }).click()
      await row.locator(`.input-name-${dept} input`).fill(`改名部门${stamp}`)
      await row.locator('.department-rename-save').click()
      await row.locator('.console-row-title', { hasText: `改名部门${stamp}` }).waitFor()
      await shoot(page, 'department-renamed')
    })

    await step('分派规则: the rules list opens the rule form', async () => {
      await page.goto(`${base}/#/packages/console/rules/index`)
      await page.waitForURL(/packages\/console\/rules/)
      await v.locator('.rule-new').click()
      await page.waitForURL(/packages\/console\/rule\//)
      await v.locator('.rule-preview').waitFor()
      await shoot(page, 'rule-new', { fullPage: true })
    })

    await step('a street admin reads the console: no new, no save', async () => {
      const street = await newPhone()
      const sv = visible(street)
      await street.goto(signIn('street_admin', '/packages/console/departments/index'))
      await pickOption(street, '.picker-street')
      await sv.locator('.demo-sign-in').click()
      await street.waitForURL(/packages\/console\/departments/)
      await sv.locator('.console-section').waitFor()
      if ((await sv.locator('.department-create').count()) !== 0) throw new Error('a street admin is offered 新增部门')
      await shoot(street, 'street-read-only')
    })
    code = await run.finish()
  } catch (err) {
    code = await run.finish(err)
  } finally {
    await server.stop()
  }
  process.exit(code)
}

main()
