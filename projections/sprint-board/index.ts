export * from './board-rules';
export * from './collections';
export * from './burndown';
export * from './board.queries';
export { sprintBoardProjection } from './sprint-board.projection';
