import { Field, ID, ObjectType } from 'type-graphql';
import { Webhook } from './webhook.entity';

@ObjectType({ description: 'A webhook with its signing secret, which is shown only here: store it now.' })
export class NewWebhookSecret {
  @Field(() => ID, { description: 'The webhook (global id).' })
  id!: string;

  @Field({
    description: 'The signing secret (`whsec_…`): verify each delivery with it, e.g. with the `standardwebhooks` package. Shown once.',
  })
  secret!: string;

  @Field(() => Webhook, { description: 'The webhook.' })
  webhook!: Webhook;
}
