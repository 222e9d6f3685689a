// The files of the minimal ordinary Medusa store that `npm run test:install` builds: what a merchant's
// project has (package.json, medusa-config.ts, tsconfig.json), written from Medusa's default starter
// rather than downloaded, plus one TypeScript file that imports the plugin's typed exports.

/**
 * package.json of the store. @medusajs/* at the version under test; the build tools at the ranges this
 * repository uses (so a warm npm cache serves them).
 * @param {{ medusaVersion: string, repoPkg: { devDependencies: Record<string, string> } }} input
 */
export function storePackageJson({ medusaVersion, repoPkg }) {
  const dev = repoPkg.devDependencies
  const pick = (names) => Object.fromEntries(names.map((n) => [n, dev[n]]))
  return {
    name: "install-test-store",
    version: "0.0.1",
    private: true,
    scripts: {
      build: "medusa build",
      start: "medusa start",
      dev: "medusa develop",
    },
    dependencies: {
      "@medusajs/admin-sdk": medusaVersion,
      "@medusajs/cli": medusaVersion,
      "@medusajs/framework": medusaVersion,
      "@medusajs/medusa": medusaVersion,
    },
    devDependencies: pick(["@swc/core", "@types/node", "@types/react", "@types/react-dom", "react", "react-dom", "ts-node", "typescript", "vite"]),
    engines: { node: ">=20" },
  }
}

/**
 * medusa-config.ts: the plugin registered under `plugins` as the README tells a merchant. Loopback
 * endpoints are allowed only through the environment (the SP-API simulator runs on a random local port).
 */
export const MEDUSA_CONFIG = `import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  plugins: [
    {
      resolve: "medusa-amazon-stock-sync",
      options: {
        encryptionKey: process.env.AMAZON_ENCRYPTION_KEY,
        allowLoopbackEndpoints: process.env.AMAZON_ALLOW_LOOPBACK_ENDPOINTS === "true",
      },
    },
  ],
  // the Multi-Channel Fulfillment provider, registered as the README's "Multi-Channel Fulfillment" says
  modules: [
    {
      resolve: "@medusajs/medusa/fulfillment",
      options: {
        providers: [
          { resolve: "@medusajs/medusa/fulfillment-manual", id: "manual" },
          { resolve: "medusa-amazon-stock-sync/providers/amazon-mcf", id: "amazon-mcf" },
        ],
      },
    },
  ],
})
`

/** tsconfig.json as in Medusa's starter; the type check of the plugin's exports has its own folder. */
export const TSCONFIG = {
  compilerOptions: {
    target: "ES2021",
    esModuleInterop: true,
    module: "Node16",
    moduleResolution: "Node16",
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    skipDefaultLibCheck: true,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: true,
    outDir: "./.medusa/server",
    rootDir: "./",
    jsx: "react-jsx",
    forceConsistentCasingInFileNames: true,
    resolveJsonModule: true,
    checkJs: false,
    strict: true,
  },
  "ts-node": { swc: true },
  include: ["**/*", ".medusa/types/*"],
  exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache", "plugin-types"],
}

/**
 * Store code that uses the plugin's typed exports. Under `strict`, an export without a declaration
 * file is an error (TS7016), and the literal types below must survive the declarations.
 */
export const TYPES_CHECK = `import { AMAZON_MODULE } from "medusa-amazon-stock-sync/modules/amazon"
import AmazonModule from "medusa-amazon-stock-sync/.medusa/server/src/modules/amazon"
import { pushAmazonStockWorkflow, STOCK_CHANGE_EVENTS } from "medusa-amazon-stock-sync/workflows"

const moduleName: "amazon" = AMAZON_MODULE
const service: unknown = AmazonModule.service
const workflowName: string = pushAmazonStockWorkflow.getName()
const events: readonly string[] = STOCK_CHANGE_EVENTS

export const used = [moduleName, service, workflowName, events]
`

/** Compiler options for the check above: the store's own module settings, no emit. */
export const TYPES_TSCONFIG = {
  compilerOptions: {
    target: "ES2021",
    module: "Node16",
    moduleResolution: "Node16",
    esModuleInterop: true,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  },
  files: ["check.ts"],
}
