/** Shapes of the WriftAI REST API (v1) that the product reads and writes. */

export type Visibility = 'private' | 'public'

export interface JsonSchemaDocument {
  [keyword: string]: unknown
}

export interface Schemas {
  prediction: { input: JsonSchemaDocument; output: JsonSchemaDocument }
  training?: { input: JsonSchemaDocument; output: JsonSchemaDocument }
}

export interface BaseUser {
  id: string
  username: string
  avatar_url?: string
}

export interface User extends BaseUser {
  name?: string | null
  created_at?: string
}

export interface Hardware {
  name: string
  identifier: string
}

export interface ModelCategory {
  name: string
  slug: string
  description?: string
}

export interface ModelVersion {
  number: number
  release_notes: string
  created_at: string
  container_image_digest: string
}

export interface ModelVersionWithDetails extends ModelVersion {
  schemas: Schemas
}

export interface ModelWithDetails {
  id: string
  name: string
  created_at: string
  visibility: Visibility
  description?: string | null
  owner: BaseUser
  hardware: Hardware
  predictions_count?: number
  categories?: ModelCategory[]
  overview?: string | null
  latest_version?: ModelVersionWithDetails | null
  source_url?: string | null
  license_url?: string | null
  paper_url?: string | null
}

export interface CreateModel {
  name: string
  hardware_identifier: string
  visibility?: Visibility
  description?: string | null
  overview?: string | null
  source_url?: string | null
  license_url?: string | null
  paper_url?: string | null
  category_slugs?: string[]
}

export type UpdateModel = Partial<CreateModel>

export interface CreateVersion {
  release_notes: string
  schemas: Schemas
  container_image_digest: string
}

export interface Page<T> {
  items: T[]
  next_cursor: string | null
}
