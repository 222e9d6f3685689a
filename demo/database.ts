/**
 * The demo's own database: created fresh each run, marked, and the only kind it will drop.
 */
import { Client } from "pg"

/** A setup problem the user fixes by choosing differently (printed without a stack trace). */
export class DemoSetupError extends Error {}

/** Set as the COMMENT of every database the demo creates: the only databases it will drop again. */
export const DEMO_DATABASE_MARK = "medusa-amazon-demo"

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/**
 * A fresh, empty database for the demo. The demo starts from scratch each run, so it drops the database of
 * the same name first — but only one it created itself (marked with DEMO_DATABASE_MARK); any other database
 * of that name may be someone's data, so the demo stops and says how to go on instead.
 */
export async function recreateDemoDatabase(env: Record<string, string>, name: string) {
  const client = new Client({
    host: env.DB_HOST,
    port: Number(env.DB_PORT),
    user: env.DB_USERNAME,
    password: env.DB_PASSWORD || undefined,
    database: "postgres",
  })
  await client.connect()
  try {
    const { rows } = await client.query(
      `select shobj_description(oid, 'pg_database') as mark from pg_database where datname = $1`,
      [name]
    )
    if (rows.length) {
      if (rows[0].mark !== DEMO_DATABASE_MARK) {
        throw new DemoSetupError(
          `database "${name}" already exists on ${env.DB_HOST}:${env.DB_PORT} and was not created by the demo, so the demo ` +
            `will not drop it. Choose another name (npm run demo -- --db-name <new name>), or drop it yourself if ` +
            `it holds nothing you need (DROP DATABASE ${quoteIdent(name)}).`
        )
      }
      await client.query(`drop database ${quoteIdent(name)} with (force)`)
    }
    await client.query(`create database ${quoteIdent(name)}`)
    // Comment literals cannot be bound as parameters; the mark is our own constant.
    await client.query(`comment on database ${quoteIdent(name)} is '${DEMO_DATABASE_MARK}'`)
  } finally {
    await client.end()
  }
}
