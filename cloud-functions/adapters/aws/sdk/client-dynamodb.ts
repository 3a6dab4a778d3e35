/**
 * The DynamoDB client of the AWS SDK v3 (provided by the Lambda runtime), for runtime/ to load with
 * `await import('…/adapters/aws/sdk/client-dynamodb')`. Importing the SDK package itself with `import()`
 * would stay a real ECMAScript dynamic import in the esbuild bundles: Node then loads the SDK's
 * CommonJS build through its ESM loader and scans it for export names (≈ 50 ms of every cold start).
 * Through this file the bundle `require`s it, on first use.
 */
export { DynamoDBClient } from '@aws-sdk/client-dynamodb'
