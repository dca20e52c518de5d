// API rules that know who is asking: @request.auth.* fields, its relations, and @request.auth.collectionName.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { guest, superuser, rejection, uniqueEmail, createAuthCollection, createCollection } from './helpers.mjs';

const PASSWORD = 'member-password-1';
let teams;
let players;
let boards;
let red;
let blue;

before(async () => {
  const su = await superuser();
  teams = await createCollection(su, 'teams', [{ name: 'name', type: 'text' }]);
  red = await su.collection(teams.name).create({ name: 'red' });
  blue = await su.collection(teams.name).create({ name: 'blue' });
  players = await createAuthCollection(su, 'players', {
    fields: [
      { name: 'name', type: 'text' },
      { name: 'team', type: 'relation', collectionId: teams.id, maxSelect: 1 },
    ],
  });
  boards = await createCollection(
    su,
    'boards',
    [
      { name: 'title', type: 'text' },
      { name: 'team', type: 'relation', collectionId: teams.id, maxSelect: 1 },
    ],
    {
      listRule: 'team = @request.auth.team',
      viewRule: 'team = @request.auth.team',
      // Only red players may post, and only to their own team.
      createRule: "@request.auth.team.name = 'red' && team = @request.auth.team",
    },
  );
});

async function player(team) {
  const su = await superuser();
  const email = uniqueEmail('player');
  await su.collection(players.name).create({ email, password: PASSWORD, passwordConfirm: PASSWORD, team: team.id });
  const pb = guest();
  await pb.collection(players.name).authWithPassword(email, PASSWORD);
  return pb;
}

test('@request.auth.team and its relation decide who lists, views and creates', async () => {
  const redPlayer = await player(red);
  const bluePlayer = await player(blue);

  const board = await redPlayer.collection(boards.name).create({ title: 'red plans', team: red.id });
  const denied = await rejection(() => bluePlayer.collection(boards.name).create({ title: 'blue plans', team: blue.id }));
  assert.equal(denied.status, 400, 'a failing createRule is a 400');
  const otherTeam = await rejection(() => redPlayer.collection(boards.name).create({ title: 'sneaky', team: blue.id }));
  assert.equal(otherTeam.status, 400);

  const redList = await redPlayer.collection(boards.name).getFullList({ filter: `id = "${board.id}"` });
  assert.deepEqual(redList.map((b) => b.title), ['red plans']);
  const blueList = await bluePlayer.collection(boards.name).getFullList({ filter: `id = "${board.id}"` });
  assert.deepEqual(blueList, []);
  const hidden = await rejection(() => bluePlayer.collection(boards.name).getOne(board.id));
  assert.equal(hidden.status, 404);
  const asGuest = await guest().collection(boards.name).getList(1, 10);
  assert.equal(asGuest.totalItems, 0);
});

test('@request.auth.collectionName tells auth collections apart', async () => {
  const su = await superuser();
  const other = await createAuthCollection(su, 'outsiders');
  const onlyPlayers = await createCollection(su, 'lounge', [{ name: 'title', type: 'text' }], {
    listRule: `@request.auth.collectionName = '${players.name}'`,
  });
  await su.collection(onlyPlayers.name).create({ title: 'welcome' });

  const member = await player(blue);
  assert.equal((await member.collection(onlyPlayers.name).getList(1, 10)).totalItems, 1);

  const email = uniqueEmail('outsider');
  await su.collection(other.name).create({ email, password: PASSWORD, passwordConfirm: PASSWORD });
  const outsider = guest();
  await outsider.collection(other.name).authWithPassword(email, PASSWORD);
  assert.equal((await outsider.collection(onlyPlayers.name).getList(1, 10)).totalItems, 0);
});
