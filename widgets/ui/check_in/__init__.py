"""Check-in screens (issue 20): the participants' page, the console's tools and the room
screen's view of a board's check-in on its focus areas, delegated decisions and prototypes."""
