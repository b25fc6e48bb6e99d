import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../shared/context';
import { Forum } from './forum.entity';
import { CreateForumInput, ForumIdInput, UpdateForumInput } from './forum.inputs';
import * as forums from './forum.service';

/** Admins' changes to forums (forum.service.ts). */
@Resolver()
export class ForumMutations {
  @Mutation(() => Forum, { description: 'Creates a forum edition (admins). A taken slug is a CONFLICT on `slug`.' })
  createForum(
    @Arg('input', () => CreateForumInput, { description: 'The new forum.' }) input: CreateForumInput,
    @Ctx() ctx: Context,
  ): Promise<Forum> {
    return forums.createForum(ctx, input);
  }

  @Mutation(() => Forum, { description: "Changes a forum's fields (admins); absent fields stay as they are." })
  updateForum(
    @Arg('input', () => UpdateForumInput, { description: 'The forum and the changes.' }) input: UpdateForumInput,
    @Ctx() ctx: Context,
  ): Promise<Forum> {
    return forums.updateForum(ctx, input);
  }

  @Mutation(() => ID, {
    description:
      'Deletes a forum (admins) with its links to articles, organisers and countries; returns its global id. A forum with ' +
      'sessions or initiatives is a CONFLICT: delete those first.',
  })
  deleteForum(@Arg('input', () => ForumIdInput, { description: 'The forum.' }) input: ForumIdInput, @Ctx() ctx: Context): Promise<string> {
    return forums.deleteForum(ctx, input);
  }
}
