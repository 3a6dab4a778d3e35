import type { HealthResponse } from '@api/health.types'
import { apiGet } from './api-client'

/** `GET /api/health`: server version, mode and storage backends. */
export function getHealth(): Promise<HealthResponse> {
  return apiGet<HealthResponse>('/api/health')
}
