/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 20000,
  // Fails a test whose run logs an error it did not expect (test/support/logged-errors.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/logged-errors.ts'],
};
