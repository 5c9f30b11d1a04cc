export type Role = 'owner' | 'builder' | 'agent';
export const ROLES: readonly Role[] = ['owner', 'builder', 'agent'];

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** Who is calling, as established from the request's credentials. */
export type Principal =
  | { kind: 'user'; user: AuthUser; via: 'session' | 'api_token' | 'env_token' }
  | { kind: 'conversation'; conversationId: string }
  | { kind: 'anonymous' }
  /** Credentials were given but are not valid (expired session, unknown token). */
  | { kind: 'invalid'; reason: string };

/** Who may call a route. */
export type Access =
  | { public: true }
  | {
      roles: readonly Role[];
      /** The end user holding the token of the conversation named by the `id` path parameter. */
      conversationToken?: boolean;
    };

export const HUMANS: readonly Role[] = ROLES;
export const BUILDERS: readonly Role[] = ['owner', 'builder'];
export const OWNERS: readonly Role[] = ['owner'];
