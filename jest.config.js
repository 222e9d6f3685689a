const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

const TEST_MATCH = {
  // pure protocol code and the simulator: milliseconds, no database
  unit: ["**/src/**/__tests__/**/*.unit.spec.[jt]s", "**/simulator/**/__tests__/**/*.unit.spec.[jt]s"],
  // AmazonModuleService against a real PostgreSQL
  "integration:modules": ["**/integration-tests/modules/**/*.spec.[jt]s"],
  // the whole Medusa app with the plugin, Amazon = the local simulator
  "integration:http": ["**/integration-tests/http/**/*.spec.[jt]s"],
}

const testType = process.env.TEST_TYPE ?? "unit"
if (!TEST_MATCH[testType]) {
  throw new Error(`Unknown TEST_TYPE "${testType}" (expected one of ${Object.keys(TEST_MATCH).join(", ")})`)
}

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      {
        jsc: {
          parser: { syntax: "typescript", tsx: true, decorators: true },
          transform: { react: { runtime: "automatic" } },
        },
      },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  setupFiles: ["./integration-tests/setup.js"],
  testMatch: TEST_MATCH[testType],
  testTimeout: testType === "unit" ? 20_000 : 120_000,
}
