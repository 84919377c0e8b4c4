export {
  addMonths,
  orderRoadmap,
  phaseOf,
  planRoadmap,
  roadmapCandidates,
  ROADMAP_PHASES,
  type PlannedItem,
  type PlanRoadmapInput,
  type RoadmapCandidate,
  type RoadmapPhase,
} from './plan';
