from webapp.quiz import scoring


def test_points_and_streak_bonus():
    assert scoring.points_for(False, 3) == (0, 0)
    assert scoring.points_for(True, 0) == (100, 1)
    assert scoring.points_for(True, 1) == (125, 2)
    assert scoring.points_for(True, 10) == (200, 11)  # the bonus is capped


def test_levels():
    assert scoring.run_level(10, 10) == "guardian"
    assert scoring.run_level(9, 10) == "guardian"
    assert scoring.run_level(6, 10) == "expert"
    assert scoring.run_level(5, 10) == "beginner"
    assert scoring.run_level(0, 0) == "beginner"
    assert scoring.overall_level(0) == "beginner" and scoring.overall_level(5000) == "guardian"


def test_mastery():
    assert scoring.mastered(3, 3) and not scoring.mastered(2, 2) and not scoring.mastered(3, 5)
