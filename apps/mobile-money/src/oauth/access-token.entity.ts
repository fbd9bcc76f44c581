import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An issued OAuth2 access token, kept only as its SHA-256 so a database leak reveals no token. */
@Entity({ name: 'access_tokens' })
export class AccessToken {
  @PrimaryColumn({ type: 'char', length: 64 })
  tokenHash: string;

  @Column({ type: 'text' })
  clientId: string;

  @Column({ type: 'timestamptz' })
  issuedAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;
}
